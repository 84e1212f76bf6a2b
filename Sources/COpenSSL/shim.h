#ifndef SEINHUIS_COPENSSL_SHIM_H
#define SEINHUIS_COPENSSL_SHIM_H
/// The system's OpenSSL libcrypto: only SHA-256 is used (session token hashes; the audit chain through EVP, one
/// context reused for every entry).
#include <openssl/sha.h>
#include <openssl/evp.h>
#endif
