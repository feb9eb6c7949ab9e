/* Roles of this instance for its switches (ken/cluster.h): what the
 * cluster asks of the controller. */
#ifndef KEN_CONTROLLER_ROLE_H
#define KEN_CONTROLLER_ROLE_H

#include <stdint.h>

#include "ken/cluster.h"

struct ken_datapath;

/* Asks the I/O thread to send the switch a role request (MASTER or SLAVE)
 * with generation id gen. SLAVE takes effect at once (sends that would
 * change the switch's state are refused from then on); MASTER when the
 * switch's role reply says so. Any thread. */
void ken_controller_role_request(struct ken_datapath *dp, enum ken_role role, uint64_t gen);

/* The cluster hears of switches reaching MAIN (id known) and going DEAD
 * (src/cluster/cluster.c; nothing without a cluster). I/O thread. */
void ken_cluster_dp_changed(struct ken_datapath *dp, bool up);

#endif
