/* What the controller tells the request table (request.c); not for apps. */
#ifndef KEN_RUNTIME_REQUEST_H
#define KEN_RUNTIME_REQUEST_H

/* The controller reports a datapath gone (dp is the handle put in
 * ken_ev_request.dp): every pending request bound to it fails with
 * ENOTCONN at once. */
void ken_runtime_datapath_gone(const void *dp);

#endif
