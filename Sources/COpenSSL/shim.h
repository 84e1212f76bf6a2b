#ifndef SEINHUIS_COPENSSL_SHIM_H
#define SEINHUIS_COPENSSL_SHIM_H
/// The system's OpenSSL libcrypto: only SHA-256 is used (session token hashes; the audit chain, one context reused
/// for every entry). The audit chain uses the one-shot SHA256_Init/Update/Final on a caller's context: OpenSSL 3
/// deprecates them in favour of EVP, whose init allocates a provider context on every entry (1M mallocs per 1M
/// entries verified); the low-level calls allocate nothing and stay in OpenSSL 3.x.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/evp.h>
#endif
