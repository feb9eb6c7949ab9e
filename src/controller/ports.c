/* The port table (see ports.h). A switch decides how many ports it
 * reports, so every operation a port-status causes is O(1) on average and
 * the table is capped: a flood of ADDs costs neither time on the I/O
 * thread nor unbounded memory. */
#include "runtime/xalloc.h"
#include "controller/ports.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ken/datapath.h"

static uint32_t slot_home(const struct port_table *t, uint32_t port_no)
{
    return (port_no * 0x9e3779b1u) & (t->n_slots - 1); /* Fibonacci hashing */
}

/* The slot holding port_no, or the empty slot where it would go. */
static uint32_t slot_of(const struct port_table *t, uint32_t port_no)
{
    uint32_t mask = t->n_slots - 1;
    uint32_t i = slot_home(t, port_no);
    while (t->slots[i] && t->ports[t->slots[i] - 1].port_no != port_no)
        i = (i + 1) & mask;
    return i;
}

static void slots_rebuild(struct port_table *t, uint32_t n_slots)
{
    uint32_t *slots = ken_xcalloc(n_slots, sizeof *slots);
    free(t->slots);
    t->slots = slots;
    t->n_slots = n_slots;
    for (uint32_t k = 0; k < t->n; k++)
        t->slots[slot_of(t, t->ports[k].port_no)] = k + 1;
}

int port_table_put(struct port_table *t, const struct ken_port *port)
{
    if (t->n_slots) {
        uint32_t i = slot_of(t, port->port_no);
        if (t->slots[i]) {
            t->ports[t->slots[i] - 1] = *port;
            return 0;
        }
    }
    if (t->n >= KEN_DATAPATH_MAX_PORTS)
        return ENOSPC;
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? 2 * t->cap : 16;
        if (cap > KEN_DATAPATH_MAX_PORTS)
            cap = KEN_DATAPATH_MAX_PORTS;
        t->ports = ken_xrealloc(t->ports, cap * sizeof *t->ports);
        t->cap = cap;
    }
    if (2 * (t->n + 1) > t->n_slots)
        slots_rebuild(t, t->n_slots ? 2 * t->n_slots : 32);
    if (t->n && t->ports[t->n - 1].port_no > port->port_no)
        t->sorted = false;
    t->ports[t->n] = *port;
    t->slots[slot_of(t, port->port_no)] = ++t->n;
    return 0;
}

/* Empties slot i and moves later entries of its probe run back, so no
 * look-up stops early at the hole (no tombstones). */
static void slot_clear(struct port_table *t, uint32_t i)
{
    uint32_t mask = t->n_slots - 1;
    for (uint32_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
        uint32_t home = slot_home(t, t->ports[t->slots[j] - 1].port_no);
        /* j's entry may move to i when its home is not in (i, j]. */
        bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
        if (movable) {
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    t->slots[i] = 0;
}

void port_table_remove(struct port_table *t, uint32_t port_no)
{
    if (!t->n)
        return;
    uint32_t i = slot_of(t, port_no);
    if (!t->slots[i])
        return;
    uint32_t k = t->slots[i] - 1;
    slot_clear(t, i);
    uint32_t last = --t->n;
    if (k != last) {
        t->ports[k] = t->ports[last];
        t->slots[slot_of(t, t->ports[k].port_no)] = k + 1;
        t->sorted = false;
    }
}

const struct ken_port *port_table_find(const struct port_table *t, uint32_t port_no)
{
    if (!t->n)
        return NULL;
    uint32_t i = slot_of(t, port_no);
    return t->slots[i] ? &t->ports[t->slots[i] - 1] : NULL;
}

static int port_no_cmp(const void *a, const void *b)
{
    uint32_t x = ((const struct ken_port *)a)->port_no, y = ((const struct ken_port *)b)->port_no;
    return (x > y) - (x < y);
}

size_t port_table_list(struct port_table *t, struct ken_port *out, size_t max)
{
    if (out && max) {
        /* Sorting here, on this rare query, keeps every update O(1). */
        if (!t->sorted && t->n > 1) {
            qsort(t->ports, t->n, sizeof *t->ports, port_no_cmp);
            slots_rebuild(t, t->n_slots);
        }
        t->sorted = true;
        memcpy(out, t->ports, (t->n < max ? t->n : max) * sizeof *out);
    }
    return t->n;
}

void port_table_clear(struct port_table *t)
{
    t->n = 0;
    t->sorted = true;
    if (t->slots)
        memset(t->slots, 0, t->n_slots * sizeof *t->slots);
}

void port_table_free(struct port_table *t)
{
    free(t->ports);
    free(t->slots);
    *t = (struct port_table){0};
}
