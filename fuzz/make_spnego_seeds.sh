#!/bin/sh
# make_spnego_seeds.sh - regenerates fuzz/corpus/spnego_negtoken_fuzz/:
#   mit-* / heimdal-*  real negotiations by MIT's libgssapi_krb5 and by
#       Heimdal's libgssapi (heimdal-multidev), make_spnego_seeds_peer.c
#       built against each, run in a throwaway realm (tests/realm/realm.sh
#       run; the realm, its keytabs and ccache are deleted with it);
#   edge-*  hand-made tokens for what those libraries do not send
#       (NegTokenInit2, reqFlags, reject, request-mic, empty fields, ...).
# Run by hand (make_seeds.sh runs it too); the seeds are checked in.
# Needs a C compiler, pkg-config, perl, MIT's KDC tools (see realm.sh) and
# heimdal-multidev.  No Baton build is needed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=$here/corpus/spnego_negtoken_fuzz
tmp=$(mktemp -d "${TMPDIR:-/tmp}/baton-spnego-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2046  # pkg-config output is a list of flags
${CC:-cc} -o "$tmp/peer_mit" "$here/make_spnego_seeds_peer.c" \
    -DHAVE_SET_NEG_MECHS $(pkg-config --cflags --libs krb5-gssapi)
# Heimdal's libraries live outside the loader's path: an rpath finds them.
heimdal_libdir=$(pkg-config --variable=libdir heimdal-gssapi)
# shellcheck disable=SC2046
${CC:-cc} -o "$tmp/peer_heimdal" "$here/make_spnego_seeds_peer.c" \
    $(pkg-config --cflags --libs heimdal-gssapi) \
    -Wl,-rpath,"$heimdal_libdir"

rm -rf "$out"
mkdir -p "$out"
bash "$here/../tests/realm/realm.sh" run -- sh -c \
    '"$1/peer_mit" "$2" mit && "$1/peer_heimdal" "$2" heimdal' \
    sh "$tmp" "$out"

# The hand-made tokens, built from their DER structure so that no length
# is ever counted by hand.
perl - "$out" <<'PERL'
use strict;
use warnings;
my $out = shift;
sub len {
    my $n = shift;
    return chr($n) if $n < 0x80;
    my $b = '';
    while ($n) { $b = chr($n & 0xff) . $b; $n >>= 8; }
    return chr(0x80 | length $b) . $b;
}
sub tlv {
    my $tag = shift;
    my $v = join '', @_;
    return chr($tag) . len(length $v) . $v;
}
sub h { pack 'H*', shift }
sub oid { tlv(0x06, h(shift)) }
sub ctx { my $n = shift; tlv(0xa0 | $n, @_) }
sub octets { ctx(shift, tlv(0x04, h(shift))) }
sub seq { tlv(0x30, @_) }
# RFC 2743 3.1 framing with the SPNEGO OID, 1.3.6.1.5.5.2.
sub framed { tlv(0x60, oid('2b0601050502'), @_) }
sub init { ctx(0, seq(@_)) }
sub resp { ctx(1, seq(@_)) }
sub state { ctx(0, tlv(0x0a, chr(shift))) }
sub mechs { ctx(0, seq(map { oid($_) } @_)) }
sub hints { ctx(3, seq(ctx(0, tlv(0x1b, shift)))) }
my ($krb5, $mskrb5) = ('2a864886f712010202', '2a864882f712010202');
# n distinct OIDs, 1.2.840.113554.1.2.2.1.i
sub numbered {
    return map { sprintf('2a864886f71201020201%02x', $_) } 0 .. shift() - 1;
}
my %edge = (
    'init-krb5-only' => framed(init(mechs($krb5), octets(2, '61626364'))),
    'init-empty-token-and-mic' =>
        framed(init(mechs($krb5), octets(2, ''), octets(3, ''))),
    'init-two-mechs-mic' => framed(init(mechs($krb5, $mskrb5),
        octets(2, 'abcd'), octets(3, '010203'))),
    # reqFlags [1]: mutual|integ, as RFC 2478 senders wrote it.
    'init-reqflags' => framed(init(mechs($krb5),
        ctx(1, tlv(0x03, h('0042'))), octets(2, 'abcd'))),
    # MS-SPNG 2.2.1 NegTokenInit2: negHints [3], mechListMIC [4].
    'init2-hints-mic' => framed(init(mechs($krb5), octets(2, 'abcd'),
        hints('not_defined_in_RFC4178@please_ignore'),
        octets(4, 'deadbeef'))),
    # NegTokenInit2 without hints: its mechListMIC is still at [4].
    'init2-mic4-no-hints' =>
        framed(init(mechs($krb5), octets(2, 'abcd'), octets(4, 'deadbeef'))),
    # What a Windows or Samba server sends first, unframed.
    'init2-bare-server' => init(mechs($mskrb5, $krb5),
        hints('not_defined_in_RFC4178@please_ignore')),
    # BT_NEG_MAX_MECHS (16) mechanisms, and one more: too many.
    'init-16-mechs' => framed(init(mechs(numbered(16)))),
    'init-17-mechs' => framed(init(mechs(numbered(17)))),
    'resp-reject' => resp(state(2)),
    'resp-request-mic' => resp(state(3), ctx(1, oid($krb5)), octets(2, '')),
    'resp-incomplete-mic' =>
        resp(state(1), octets(2, 'abcd'), octets(3, 'deadbeef')),
    'resp-mic-only' => resp(octets(3, 'abcd')),
    'resp-empty' => resp(),
    # Near misses the parsers refuse, for the fuzzer to start from.
    'bad-empty-mechlist' => framed(init(ctx(0, seq()), octets(2, 'abcd'))),
    'bad-state-4' => resp(state(4)),
    'bad-out-of-order' => resp(octets(2, 'abcd'), state(0)),
    'bad-framed-resp' => framed(resp(state(0))),
);
for my $name (sort keys %edge) {
    open(my $f, '>:raw', "$out/edge-$name") or die "$out/edge-$name: $!";
    print $f $edge{$name};
    close($f) or die "$out/edge-$name: $!";
}
PERL
for f in "$out"/*; do
    [ -s "$f" ] || { echo "make_spnego_seeds.sh: empty seed $f" >&2; exit 1; }
done
echo "spnego_negtoken_fuzz: $(find "$out" -type f | wc -l) seeds," \
    "$(find "$out" -type f -exec cat {} + | wc -c) bytes"
