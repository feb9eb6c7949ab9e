/* Test-time certificates (see certs.h). */
#include "certs.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, long not_before_s,
                       long not_after_s, bool ca, long serial)
{
    X509 *x = X509_new();
    if (!x)
        return NULL;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), not_before_s);
    X509_gmtime_adj(X509_getm_notAfter(x), not_after_s);
    X509_set_pubkey(x, key);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
    if (bc) {
        X509_add_ext(x, bc, -1);
        X509_EXTENSION_free(bc);
    }
    if (!X509_sign(x, issuer_key, EVP_sha256())) {
        X509_free(x);
        return NULL;
    }
    return x;
}

static bool write_pem(const char *path, X509 *cert, EVP_PKEY *key)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool ok = cert ? PEM_write_X509(f, cert) : PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
    return fclose(f) == 0 && ok;
}

bool certs_make(struct certs *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->dir, sizeof c->dir, "/tmp/ken-faults-tls-XXXXXX");
    if (!mkdtemp(c->dir))
        return false;
    c->ca_key = EVP_EC_gen("P-256");
    c->other_ca_key = EVP_EC_gen("P-256");
    c->ctl_key = EVP_EC_gen("P-256");
    c->sw_key = EVP_EC_gen("P-256");
    if (!c->ca_key || !c->other_ca_key || !c->ctl_key || !c->sw_key)
        return false;
    const long day = 86400;
    c->ca = make_cert("ken-faults-ca", c->ca_key, NULL, c->ca_key, -day, day, true, 1);
    c->other_ca = make_cert("ken-faults-other-ca", c->other_ca_key, NULL, c->other_ca_key, -day, day, true, 2);
    if (!c->ca || !c->other_ca)
        return false;
    c->ctl = make_cert("ken-controller", c->ctl_key, c->ca, c->ca_key, -day, day, false, 3);
    c->sw_good = make_cert("switch-good", c->sw_key, c->ca, c->ca_key, -day, day, false, 4);
    c->sw_other_ca = make_cert("switch-other-ca", c->sw_key, c->other_ca, c->other_ca_key, -day, day, false, 5);
    /* Valid for a day that ended a day ago. */
    c->sw_expired = make_cert("switch-expired", c->sw_key, c->ca, c->ca_key, -2 * day, -day, false, 6);
    if (!c->ctl || !c->sw_good || !c->sw_other_ca || !c->sw_expired)
        return false;
    snprintf(c->ca_path, sizeof c->ca_path, "%s/ca.pem", c->dir);
    snprintf(c->ctl_key_path, sizeof c->ctl_key_path, "%s/ctl.key", c->dir);
    snprintf(c->ctl_cert_path, sizeof c->ctl_cert_path, "%s/ctl.pem", c->dir);
    return write_pem(c->ca_path, c->ca, NULL) && write_pem(c->ctl_key_path, NULL, c->ctl_key) &&
           write_pem(c->ctl_cert_path, c->ctl, NULL);
}

SSL_CTX *certs_switch_ctx(const struct certs *c, X509 *cert)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        return NULL;
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), c->ca);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (cert && (SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_use_PrivateKey(ctx, c->sw_key) != 1)) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

void certs_free(struct certs *c)
{
    X509 *xs[] = {c->ca, c->other_ca, c->ctl, c->sw_good, c->sw_other_ca, c->sw_expired};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++)
        X509_free(xs[i]);
    EVP_PKEY *ks[] = {c->ca_key, c->other_ca_key, c->ctl_key, c->sw_key};
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++)
        EVP_PKEY_free(ks[i]);
    const char *files[] = {c->ca_path, c->ctl_key_path, c->ctl_cert_path};
    for (size_t i = 0; i < 3; i++)
        if (files[i][0])
            unlink(files[i]);
    if (c->dir[0])
        rmdir(c->dir);
    memset(c, 0, sizeof *c);
}
