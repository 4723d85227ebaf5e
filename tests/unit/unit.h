/*
 * unit.h - what every cmocka unit test includes.
 */
#ifndef ACM_UNIT_H
#define ACM_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

#endif
