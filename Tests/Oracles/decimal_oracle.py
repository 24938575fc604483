#!/usr/bin/env python3
"""Oracle for ExactDecimal (Sources/SynclineMapping/Mapping/ExactDecimal.swift).

Generates operands over the whole range (19-20 digit integers, the 64-bit extremes, tiny fractions,
negative zero, every scale 0-18, exponents, malformed text) from a fixed seed and prints one case a
line with the result Python's `decimal` module (and exact integer arithmetic for the rounding of a
quotient) says ExactDecimal must give. ExactDecimalOracleTests runs this and compares.

    python3 Tests/Oracles/decimal_oracle.py [--seed N] [--count N]

Line format (tab-separated):  op  a  b  expected
  op        parse | add | sub | mul | div | round | cmp
  a, b      operand text (b is '-' for parse; the digit count for round)
  expected  'ok <description>' | 'err overflow' | 'err notANumber' | 'err divisionByZero'
            for cmp: '<', '=' or '>'

The contract encoded here (the same as the Swift doc comments):
  * a value is a 64-bit significand and a scale 0...18; description has exactly `scale` places;
  * parse keeps the written scale, drops trailing zeros only beyond 18 places (a zero beyond 18
    places is 0 at scale 18) and fails with overflow when the value needs more than 18 places or
    does not fit in 64 bits;
  * + and - are exact at the larger scale (retried with trailing zeros dropped when the operands
    cannot be aligned in 64 bits) or overflow;
  * x keeps scale a+b when it fits, else the most places (<= 18) at which the product rounded half
    away from zero fits; / rounds half away from zero at the most places (<= 18) that fit, then
    drops trailing zeros; a magnitude above 2^63-1 is an overflow for x and /;
  * round(x, n) rounds half away from zero to n places (n clamped to 0...18), padding with zeros;
  * comparisons are exact.
"""

import argparse
import decimal
import random
import re
import sys
from decimal import Decimal, ROUND_HALF_UP

decimal.getcontext().prec = 600
decimal.getcontext().Emax = 100000
decimal.getcontext().Emin = -100000

I64_MIN = -(2 ** 63)
I64_MAX = 2 ** 63 - 1
MAX_SCALE = 18
GRAMMAR = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,4})?")


class Overflow(Exception):
    pass


class NotANumber(Exception):
    pass


class DivisionByZero(Exception):
    pass


def describe(sig, scale):
    text = str(abs(sig))
    if scale > 0:
        text = text.rjust(scale + 1, "0")
        text = text[:-scale] + "." + text[-scale:]
    return ("-" if sig < 0 else "") + text


def value_of(sig, scale):
    return Decimal(sig).scaleb(-scale)


def integral(value):
    return value == value.to_integral_value()


def parse(text):
    match = GRAMMAR.fullmatch(text)
    if not match:
        raise NotANumber()
    mantissa, _, exponent = text.partition("e") if "e" in text else text.partition("E")
    fraction_digits = len(mantissa.partition(".")[2])
    scale = fraction_digits - (int(exponent) if exponent else 0)
    value = Decimal(text)
    if scale > MAX_SCALE:
        if not integral(value.scaleb(MAX_SCALE)):
            raise Overflow()
        scale = MAX_SCALE
    scale = max(scale, 0)
    sig = int(value.scaleb(scale))
    if not I64_MIN <= sig <= I64_MAX:
        raise Overflow()
    return sig, scale


def normalized(sig, scale):
    while scale > 0 and sig % 10 == 0:
        sig //= 10
        scale -= 1
    return sig, scale


def fits(n):
    return I64_MIN <= n <= I64_MAX


def align(a, b):
    scale = max(a[1], b[1])
    left, right = a[0] * 10 ** (scale - a[1]), b[0] * 10 ** (scale - b[1])
    if fits(left) and fits(right):
        return left, right, scale
    na, nb = normalized(*a), normalized(*b)
    if na != a or nb != b:
        return align(na, nb)
    raise Overflow()


def add(a, b, negate=False):
    left, right, scale = align(a, b)
    total = left - right if negate else left + right
    if not fits(total):
        raise Overflow()
    assert value_of(total, scale) == (value_of(*a) - value_of(*b) if negate else value_of(*a) + value_of(*b))
    return total, scale


def quantized(value, places):
    return int(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).scaleb(places))


def mul(a, b):
    product = value_of(*a) * value_of(*b)  # exact: at most 38 digits
    for places in range(min(a[1] + b[1], MAX_SCALE), -1, -1):
        sig = quantized(product, places)
        if abs(sig) <= I64_MAX:
            return sig, places
    raise Overflow()


def div(a, b):
    if b[0] == 0:
        raise DivisionByZero()
    negative = (a[0] < 0) != (b[0] < 0)
    for places in range(MAX_SCALE, -1, -1):
        # |a/b| * 10^places = |sa| * 10^(places + scale_b - scale_a) / |sb|, rounded half away from zero
        exponent = places + b[1] - a[1]
        numerator, denominator = abs(a[0]), abs(b[0])
        if exponent >= 0:
            numerator *= 10 ** exponent
        else:
            denominator *= 10 ** -exponent
        quotient, remainder = divmod(numerator, denominator)
        if 2 * remainder >= denominator:
            quotient += 1
        if quotient <= I64_MAX:
            sig = -quotient if negative else quotient
            # the decimal module agrees about the rounded value (to within its 600 digits)
            exact = value_of(*a) / value_of(*b)
            assert quantized(exact, places) == sig
            return normalized(sig, places)
    raise Overflow()


def round_to(a, places):
    target = max(0, min(places, MAX_SCALE))
    if target >= a[1]:
        sig = a[0] * 10 ** (target - a[1])
        if not fits(sig):
            raise Overflow()
        return sig, target
    return quantized(value_of(*a), target), target


def outcome(compute):
    try:
        return "ok " + describe(*compute())
    except Overflow:
        return "err overflow"
    except NotANumber:
        return "err notANumber"
    except DivisionByZero:
        return "err divisionByZero"


# MARK: operands

def random_significand(rng):
    kind = rng.randrange(12)
    if kind == 0:
        return rng.choice([0, 1, -1, I64_MAX, I64_MIN, I64_MAX - 1, I64_MIN + 1, 10 ** 18, -(10 ** 18), 5, -5])
    if kind == 1:
        return rng.randint(-1000, 1000)
    if kind == 2:  # 19 digits, up to the 64-bit extremes
        magnitude = rng.randint(10 ** 18, I64_MAX)
        return -magnitude if rng.random() < 0.5 else magnitude
    if kind == 3:  # near the extremes
        return rng.choice([I64_MAX - rng.randrange(1000), I64_MIN + rng.randrange(1000)])
    if kind == 4:  # powers of ten and their neighbours
        power = 10 ** rng.randrange(19)
        return rng.choice([power, power - 1, power + 1, -power, 1 - power, -power - 1, 5 * power // 10 or 5])
    if kind == 5:  # halves: ...5 to exercise rounding ties
        return rng.randint(-(10 ** 17), 10 ** 17) * 10 + rng.choice([5, -5])
    bits = rng.randrange(64)
    magnitude = rng.getrandbits(bits) if bits else 0
    magnitude = min(magnitude, I64_MAX)
    return -magnitude if rng.random() < 0.5 else magnitude


def random_operand(rng):
    """(significand, scale) of a value ExactDecimal can hold, and text that parses to exactly it."""
    sig = random_significand(rng)
    kind = rng.randrange(6)
    if kind == 0:
        scale = MAX_SCALE  # tiny fractions
        if rng.random() < 0.5:
            sig = rng.randint(-999, 999)
    elif kind == 1:
        scale = 0
    else:
        scale = rng.randrange(MAX_SCALE + 1)
    text = describe(sig, scale)
    if sig == 0 and rng.random() < 0.3:
        text = "-" + text  # negative zero
    return (sig, scale), text


def random_parse_text(rng):
    kind = rng.randrange(14)
    if kind == 0:  # 19-20 digit integers, both signs
        digits = rng.choice([19, 20])
        text = str(rng.randrange(10 ** (digits - 1), 10 ** digits))
        return rng.choice(["", "-", "+"]) + text
    if kind == 1:  # exactly around the extremes
        return str(rng.choice([I64_MAX, I64_MIN, I64_MAX + 1, I64_MIN - 1, I64_MAX + rng.randrange(-3, 4)]))
    if kind == 2:  # tiny fractions, 17-22 places, sometimes with trailing zeros
        places = rng.randrange(17, 23)
        digits = str(rng.randrange(1, 1000)).rjust(places, "0")
        text = "0." + digits + "0" * rng.choice([0, 0, 1, 3, 10])
        return rng.choice(["", "-"]) + text
    if kind == 3:  # negative zero in its spellings
        return rng.choice(["-0", "-0.0", "-0.000000000000000000", "-0e5", "-0.00e-3", "-0.0000000000000000000000", "0e-30", "-00"])
    if kind == 4:  # exponent forms
        (sig, scale), text = random_operand(rng)
        mantissa = str(abs(sig))
        exponent = rng.randint(-25, 25)
        point = rng.randrange(len(mantissa)) + 1
        text = mantissa[:point] + ("." + mantissa[point:] if point < len(mantissa) else "")
        return ("-" if sig < 0 else "") + text + rng.choice("eE") + rng.choice(["", "+", "-"] if exponent >= 0 else ["-"]) + str(abs(exponent))
    if kind == 5:  # leading zeros, leading '+', trailing zeros
        (sig, scale), text = random_operand(rng)
        negative = text.startswith("-")
        body = text.lstrip("-")
        body = "0" * rng.randrange(4) + body
        if "." not in body and rng.random() < 0.5:
            body += "."
        if "." in body:
            body += "0" * rng.randrange(25)
            if body.endswith("."):
                body = body[:-1]
        return ("-" if negative else rng.choice(["", "+"])) + body
    if kind == 6:  # malformed
        alphabet = "0123456789.-+eE ,x_"
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8)))
    if kind == 7:
        return rng.choice(["", ".", "1.", ".5", "1e", "1e+", "1e12345", "--1", "+-1", "1.2.3", "1e1.5", "NaN", "Infinity",
                           "1_000", "1 000", "0x10", "٣", "１２", "1e-0", "1E+0000", "9" * 40, "0." + "0" * 40 + "1"])
    if kind == 8:  # big exponents on small mantissas
        return str(rng.randint(-99, 99)) + "e" + str(rng.choice([18, 19, 20, -18, -19, -20, 9999, -9999]))
    _, text = random_operand(rng)
    return text


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--seed", type=int, default=20261201)
    arguments.add_argument("--count", type=int, default=120_000)
    options = arguments.parse_args()
    rng = random.Random(options.seed)
    out = sys.stdout
    ops = ["parse", "add", "sub", "mul", "div", "round", "cmp"]
    for index in range(options.count):
        op = ops[index % len(ops)]
        if op == "parse":
            text = random_parse_text(rng)
            out.write(f"parse\t{text}\t-\t{outcome(lambda: parse(text))}\n")
            continue
        a, a_text = random_operand(rng)
        b, b_text = random_operand(rng)
        if op == "div" and rng.random() < 0.02:
            b, b_text = (0, rng.randrange(3)), rng.choice(["0", "-0", "0.00"])
        if op == "cmp" and rng.random() < 0.2:
            b, b_text = a, describe(*normalized(*a))  # equal values, different scales
        if op == "add":
            result = outcome(lambda: add(a, b))
        elif op == "sub":
            result = outcome(lambda: add(a, b, negate=True))
        elif op == "mul":
            result = outcome(lambda: mul(a, b))
        elif op == "div":
            result = outcome(lambda: div(a, b))
        elif op == "round":
            places = rng.randint(-2, 20)
            out.write(f"round\t{a_text}\t{places}\t{outcome(lambda: round_to(a, places))}\n")
            continue
        else:
            left, right = value_of(*a), value_of(*b)
            result = "<" if left < right else ("=" if left == right else ">")
        out.write(f"{op}\t{a_text}\t{b_text}\t{result}\n")


if __name__ == "__main__":
    main()
