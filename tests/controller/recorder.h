/* A test app ("ctl_recorder") that records every event it sees, and waits
 * for recorded events with a generous failure guard. */
#ifndef KEN_TESTS_RECORDER_H
#define KEN_TESTS_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/datapath.h"

/* A guard, never waited for on success: generous for ThreadSanitizer
 * working through a flood of recorded events. */
#define REC_WAIT_MS 30000

struct rec {
    char cls[64];
    struct ken_datapath *dp;  /* a reference, dropped by rec_reset */
    uint64_t dpid;
    int phase, old_phase;     /* EventOFPStateChange */
    uint8_t type;             /* EventOFP<Msg> */
    uint32_t xid;
    uint8_t reason;           /* EventOFPPortStateChange */
    uint32_t port_no;         /* EventOFPPortStateChange, EventPort*, packet-in in_port */
    uint32_t port_state;
    bool enter;               /* EventDP */
    size_t n_ports;           /* EventDP */
    uint16_t data_len;        /* packet-in */
};

/* Loads the recorder and dpset apps (once per process). */
void rec_load(void);
/* Forgets what was recorded. */
void rec_reset(void);
/* The first record at index >= *from of class cls for dp (NULL: any) that
 * satisfies match (NULL: any); waits up to REC_WAIT_MS. On success *from
 * moves past it. Returns a copy through out; false on timeout. */
bool rec_wait(const char *cls, const struct ken_datapath *dp, bool (*match)(const struct rec *r, const void *arg),
              const void *arg, size_t *from, struct rec *out);
/* The same for a state change into state. */
bool rec_wait_state(const struct ken_datapath *dp, int state, size_t *from, struct rec *out);
/* The index the next record will get (a starting point for rec_wait). */
size_t rec_mark(void);
/* How many records of cls there are now. */
size_t rec_count(const char *cls, const struct ken_datapath *dp);

#endif
