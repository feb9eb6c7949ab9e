/* The OpenFlow side of a connection (OS-Ken's ofp_handler, run on the I/O
 * thread): handshake, echo, port tracking, and the events for the apps. */
#ifndef KEN_CONTROLLER_OFP_HANDLER_H
#define KEN_CONTROLLER_OFP_HANDLER_H

#include <stddef.h>
#include <stdint.h>

#include "controller/dp.h"
#include "ken/ofp_event.h"

/* ofp_handler.c */
void ofp_conn_up(struct dp *dp);     /* transport ready: send hello */
/* One whole message (len is its header length, >= 8). */
void ofp_recv(struct dp *dp, const uint8_t *msg, size_t len);
void ofp_recv_done(struct dp *dp);   /* end of a read: hand the events over */
void ofp_conn_down(struct dp *dp);   /* closing: DEAD */
/* The old connection went DEAD: dp reads what waited, from its features
 * reply on (dp's I/O thread). */
void ofp_resume_held(struct dp *dp);

#endif
