/* OpenSSL contexts for the OpenFlow channel. The controller side presents
 * its key and certificate; with a CA file it also requires and verifies the
 * switch's certificate (OS-Ken's ca_certs). SSLv2/SSLv3 are refused. */
#ifndef KEN_CONTROLLER_TLS_H
#define KEN_CONTROLLER_TLS_H

#include <openssl/ssl.h>
#include <stdbool.h>

#define TLS_WHY_LEN 256

/* server: accepting switches (listener); client: active mode connecting
 * out. key and cert are required for a server and optional for a client.
 * Returns NULL with a one-line reason in why. */
SSL_CTX *tls_ctx_new(bool server, const char *key, const char *cert, const char *ca, const char *ciphers,
                     char why[TLS_WHY_LEN]);
/* The first queued OpenSSL error as text (and clears the queue). */
void tls_last_error(char *out, size_t n);

#endif
