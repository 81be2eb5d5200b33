/*
 * prefork.h - the parts of the prefork example server.
 */
#ifndef BATON_EXAMPLES_PREFORK_PREFORK_H_
#define BATON_EXAMPLES_PREFORK_PREFORK_H_

/* Serves connections handed over on sock until the master goes away. */
void worker_main(int sock) __attribute__((noreturn));

#endif /* BATON_EXAMPLES_PREFORK_PREFORK_H_ */
