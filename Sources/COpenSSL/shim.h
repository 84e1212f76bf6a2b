#ifndef SEINHUIS_COPENSSL_SHIM_H
#define SEINHUIS_COPENSSL_SHIM_H
/// The system's OpenSSL libcrypto: only SHA-256 is used (session token hashes).
#include <openssl/sha.h>
#endif
