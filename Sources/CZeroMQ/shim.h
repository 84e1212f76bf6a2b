#ifndef SEINHUIS_CZEROMQ_SHIM_H
#define SEINHUIS_CZEROMQ_SHIM_H
#include <zmq.h>
#include <errno.h>
#endif
