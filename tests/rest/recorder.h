/* The test observer of network and tunnels events (recorder.c). */
#ifndef KEN_TESTS_REST_RECORDER_H
#define KEN_TESTS_REST_RECORDER_H

/* Waits until the recorder has handled every event sent before this call,
 * then returns (malloc'd) the lines recorded since the last call, one per
 * event ("NetworkPort net1 0000000000000001 3 add\n..."), and forgets
 * them. NULL when the recorder does not run or does not answer in 20 s. */
char *recorder_take(void);

#endif
