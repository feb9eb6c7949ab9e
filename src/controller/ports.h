/* A datapath's port table: insert, replace, remove and look-up in O(1) on
 * average (open addressing keyed by port number over a dense array), capped
 * at KEN_DATAPATH_MAX_PORTS, sorted by port number only when asked for the
 * whole list. Not locked: the owner (datapath.c) holds its ports lock. */
#ifndef KEN_CONTROLLER_PORTS_H
#define KEN_CONTROLLER_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/ofp_msg.h"

struct port_table {
    struct ken_port *ports;  /* dense; in port-number order while sorted */
    uint32_t n, cap;
    uint32_t *slots;         /* index into ports + 1; 0: empty */
    uint32_t n_slots;        /* a power of two, at least twice n */
    bool sorted;
};

/* Adds port, or replaces the one with its number. Returns 0, or ENOSPC
 * when a new port would pass KEN_DATAPATH_MAX_PORTS (nothing changes). */
int port_table_put(struct port_table *t, const struct ken_port *port);
/* Removes the port with this number, if any. */
void port_table_remove(struct port_table *t, uint32_t port_no);
/* The port with this number, or NULL (valid until the next change). */
const struct ken_port *port_table_find(const struct port_table *t, uint32_t port_no);
/* Copies up to max ports in port-number order; returns how many exist. */
size_t port_table_list(struct port_table *t, struct ken_port *out, size_t max);
void port_table_clear(struct port_table *t);
void port_table_free(struct port_table *t);

#endif
