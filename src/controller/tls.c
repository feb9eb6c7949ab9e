#include "controller/tls.h"

#include <openssl/err.h>
#include <stdio.h>

void tls_last_error(char *out, size_t n)
{
    unsigned long e = ERR_get_error();
    if (!e)
        snprintf(out, n, "unknown TLS error");
    else
        ERR_error_string_n(e, out, n);
    ERR_clear_error();
}

static SSL_CTX *tls_fail(SSL_CTX *ctx, char why[TLS_WHY_LEN], const char *what, const char *path)
{
    char err[160];
    tls_last_error(err, sizeof err);
    snprintf(why, TLS_WHY_LEN, "%s %s: %s", what, path ? path : "", err);
    SSL_CTX_free(ctx);
    return NULL;
}

SSL_CTX *tls_ctx_new(bool server, const char *key, const char *cert, const char *ca, const char *ciphers,
                     char why[TLS_WHY_LEN])
{
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (!ctx)
        return tls_fail(ctx, why, "cannot create TLS context", NULL);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    /* Partial writes let the outbound queue resend from where TLS stopped;
     * a moving buffer is fine because the queue keeps bytes until sent. */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (ciphers && SSL_CTX_set_cipher_list(ctx, ciphers) != 1)
        return tls_fail(ctx, why, "bad cipher list", ciphers);
    if (cert && SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
        return tls_fail(ctx, why, "cannot load certificate", cert);
    if (key && SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
        return tls_fail(ctx, why, "cannot load private key", key);
    if (key && cert && SSL_CTX_check_private_key(ctx) != 1)
        return tls_fail(ctx, why, "private key does not match certificate", cert);
    if (ca) {
        if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
            return tls_fail(ctx, why, "cannot load CA file", ca);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    }
    return ctx;
}
