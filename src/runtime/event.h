/* Event memory, for the runtime (event.c; the public side is
 * ken/event.h). */
#ifndef KEN_RUNTIME_EVENT_H
#define KEN_RUNTIME_EVENT_H

/* Frees the depots and the calling thread's magazines (shutdown). */
void event_cache_trim(void);

#endif
