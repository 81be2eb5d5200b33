/*
 * interop_run.c - run two or three peer programs, each in its own process,
 * wired together by socketpairs, with a time limit.
 *
 *   interop_run [-t SECONDS] -- CMD1 ARGS... -- CMD2 ARGS... [-- CMD3 ARGS...]
 *
 * CMD1 and CMD2 share a socketpair (fd 3 in both).  With a third command,
 * CMD2 and CMD3 share another (fd 4 in CMD2, fd 3 in CMD3): the middle
 * process talks to both neighbours, which is what the delegation scenario
 * needs (initiator -> acceptor -> second service).
 *
 * Each child runs in its own process group; on timeout every group is
 * killed.  One line per child on stdout:
 *     # proc N exit S          normal exit with status S
 *     # proc N signal S        killed by signal S (a crash, unless timeout)
 *     # proc N timeout         still running at the deadline (then killed)
 * Exit status: 0 if every child exited 0, 1 if any exited non-zero,
 * 3 if any died by a signal or timed out, 2 on a usage or system error.
 *
 * No GSS-API here: this program is linked against nothing but libc.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXPROC 3

static void
usage(void)
{
    fprintf(stderr, "usage: interop_run [-t SECONDS] -- CMD1... -- CMD2... "
            "[-- CMD3...]\n");
    exit(2);
}

/* Moves fd 'from' to exactly 'to' (from may equal to). */
static int
place_fd(int from, int to)
{
    if (from == to)
        return 0;
    if (dup2(from, to) < 0)
        return -1;
    return 0;
}

/* A copy of fd numbered 10 or above; the original is closed. */
static int
fcntl_dupfd_high(int fd)
{
    int hi = fcntl(fd, F_DUPFD_CLOEXEC, 10);

    if (hi < 0) {
        perror("interop_run: fcntl");
        exit(2);
    }
    close(fd);
    return hi;
}

static double
now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    char **cmds[MAXPROC];
    int ncmd = 0, i, j, timeout = 30;
    int sp[MAXPROC - 1][2];
    pid_t pids[MAXPROC];
    int status[MAXPROC], done[MAXPROC];
    int ndone = 0, rc = 0;
    double deadline;

    i = 1;
    while (i < argc && strcmp(argv[i], "--") != 0) {
        if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            timeout = atoi(argv[i + 1]);
            i += 2;
        } else {
            usage();
        }
    }
    if (i >= argc || timeout <= 0)
        usage();
    /* Split the remaining argv at each "--". */
    while (i < argc && strcmp(argv[i], "--") == 0) {
        argv[i] = NULL;
        i++;
        if (i >= argc || strcmp(argv[i], "--") == 0 || ncmd == MAXPROC)
            usage();
        cmds[ncmd++] = &argv[i];
        while (i < argc && strcmp(argv[i], "--") != 0)
            i++;
    }
    if (ncmd < 2)
        usage();

    for (i = 0; i < ncmd - 1; i++) {
        /* Keep the pair above fd 4 so that placing one end on 3 or 4 can
         * never overwrite the other end of some pair. */
        int tmp[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, tmp) < 0) {
            perror("interop_run: socketpair");
            return 2;
        }
        sp[i][0] = fcntl_dupfd_high(tmp[0]);
        sp[i][1] = fcntl_dupfd_high(tmp[1]);
    }
    fflush(stdout);
    fflush(stderr);
    for (i = 0; i < ncmd; i++) {
        pids[i] = fork();
        if (pids[i] < 0) {
            perror("interop_run: fork");
            return 2;
        }
        if (pids[i] == 0) {
            int left = i > 0 ? sp[i - 1][1] : -1;
            int right = i < ncmd - 1 ? sp[i][0] : -1;

            setpgid(0, 0);
            /* fd 3: the first neighbour (left, or right for CMD1);
             * fd 4: the right neighbour of a middle process. */
            if (left >= 0) {
                if (place_fd(left, 3) < 0 ||
                    (right >= 0 && place_fd(right, 4) < 0))
                    _exit(126);
            } else if (place_fd(right, 3) < 0) {
                _exit(126);
            }
            for (j = 0; j < ncmd - 1; j++) {
                close(sp[j][0]);
                close(sp[j][1]);
            }
            execvp(cmds[i][0], cmds[i]);
            fprintf(stderr, "interop_run: exec %s: %s\n", cmds[i][0],
                    strerror(errno));
            _exit(127);
        }
        setpgid(pids[i], pids[i]);
        done[i] = 0;
    }
    /* Our copies would keep every link open after a peer has died. */
    for (j = 0; j < ncmd - 1; j++) {
        close(sp[j][0]);
        close(sp[j][1]);
    }

    deadline = now_sec() + timeout;
    while (ndone < ncmd) {
        pid_t p = waitpid(-1, &status[0] /* scratch */, WNOHANG);
        if (p > 0) {
            for (i = 0; i < ncmd; i++) {
                if (pids[i] == p && !done[i]) {
                    done[i] = 1;
                    ndone++;
                    if (WIFSIGNALED(status[0])) {
                        printf("# proc %d signal %d\n", i + 1,
                               WTERMSIG(status[0]));
                        rc = 3;
                    } else {
                        printf("# proc %d exit %d\n", i + 1,
                               WEXITSTATUS(status[0]));
                        if (WEXITSTATUS(status[0]) != 0 && rc == 0)
                            rc = 1;
                    }
                    /* Reap anything the child left in its group. */
                    kill(-pids[i], SIGKILL);
                }
            }
            continue;
        }
        if (p < 0 && errno != EINTR)
            break;
        if (now_sec() >= deadline) {
            for (i = 0; i < ncmd; i++) {
                if (!done[i]) {
                    kill(-pids[i], SIGKILL);
                    waitpid(pids[i], NULL, 0);
                    printf("# proc %d timeout\n", i + 1);
                    done[i] = 1;
                    ndone++;
                }
            }
            rc = 3;
            break;
        }
        {
            struct timespec ts = {0, 2 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    fflush(stdout);
    return rc;
}
