/* Certificates made at test time with the OpenSSL API (no files committed,
 * no network): a CA, the controller's certificate it signs, and switch
 * certificates: one valid, one signed by another CA, one expired. The
 * controller's files go to a temporary directory (its options take paths);
 * the switch side stays in memory. */
#ifndef KEN_TESTS_CERTS_H
#define KEN_TESTS_CERTS_H

#include <openssl/ssl.h>
#include <stdbool.h>

struct certs {
    char dir[64];
    char ca_path[128], ctl_key_path[128], ctl_cert_path[128];
    EVP_PKEY *ca_key, *other_ca_key, *ctl_key, *sw_key;
    X509 *ca, *other_ca, *ctl, *sw_good, *sw_other_ca, *sw_expired;
};

bool certs_make(struct certs *c);
/* A switch (client) context that trusts the CA and presents cert with
 * sw_key (cert NULL: no certificate). */
SSL_CTX *certs_switch_ctx(const struct certs *c, X509 *cert);
/* Frees everything and removes the directory. */
void certs_free(struct certs *c);

#endif
