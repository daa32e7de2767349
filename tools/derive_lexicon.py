#!/usr/bin/env python3
"""Derive hallbar's Swedish lexicon from a Hunspell dictionary (hunspell-sv).

Usage:
    python3 tools/derive_lexicon.py AFF DIC OUT.tsv.gz

Example (from the repository root):
    python3 tools/derive_lexicon.py /usr/share/hunspell/sv_SE.aff \
        /usr/share/hunspell/sv_SE.dic index/lexicon/sv-lexicon.tsv.gz

Standard library only (Python 3.11).  The output is byte-for-byte
reproducible for the same input files (sorted, gzip mtime fixed to 0).

Output: gzip'd UTF-8 text, one line per (form, lemma):

    form<TAB>lemma<TAB>flags

  form   lower-cased surface form
  lemma  lower-cased .dic word the form was generated from
  flags  subset of "WBME", always in that order:
         W  valid standalone word
         B  may begin a compound (first part, as-is)
         M  may be a middle part of a compound
         E  may end a compound (inflected forms included)

Lines are sorted by form, then lemma (Unicode code point order, which is
the same as UTF-8 byte order and Rust's `str` ordering) and are unique.

The semantics follow Hunspell 1.7 (affixmgr.cxx: compound_check,
suffix_check, SfxEntry::checkword), restricted to the features that
sv_SE.aff uses.  See index/lexicon/README.md for the exact rules.
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import sys
import unicodedata
from dataclasses import dataclass, field

# --------------------------------------------------------------------------
# .aff parsing
# --------------------------------------------------------------------------


@dataclass
class AffixEntry:
    kind: str            # "SFX" or "PFX"
    flag: str
    strip: str
    add: str
    cont: frozenset      # continuation flags (after '/' in the add field)
    cond_src: str
    cond_re: re.Pattern | None  # None means "no condition" ('.')
    cond_len: int        # number of character positions in the condition


@dataclass
class AffixClass:
    kind: str
    flag: str
    cross: bool
    entries: list = field(default_factory=list)


@dataclass
class Aff:
    sfx: dict = field(default_factory=dict)   # flag -> AffixClass
    pfx: dict = field(default_factory=dict)   # flag -> AffixClass
    opts: dict = field(default_factory=dict)  # single-valued options
    fullstrip: bool = False
    compound_rules: list = field(default_factory=list)


def parse_condition(cond: str) -> tuple[re.Pattern | None, int]:
    """Translate a Hunspell affix condition into a regex over the last
    (SFX) / first (PFX) `n` characters of the stem.  Returns (regex, n)."""
    if cond == ".":
        return None, 0
    parts = []
    i = 0
    while i < len(cond):
        c = cond[i]
        if c == "[":
            j = cond.find("]", i + 1)
            if j < 0:
                raise ValueError(f"unterminated '[' in condition {cond!r}")
            body = cond[i + 1:j]
            neg = body.startswith("^")
            if neg:
                body = body[1:]
            chars = "".join(re.escape(ch) for ch in body)
            parts.append(("[^" if neg else "[") + chars + "]")
            i = j + 1
        elif c == ".":
            parts.append(".")
            i += 1
        else:
            parts.append(re.escape(c))
            i += 1
    return re.compile("".join(parts), re.S), len(parts)


def split_affix_add(field_: str) -> tuple[str, frozenset]:
    if "/" in field_:
        add, cont = field_.split("/", 1)
    else:
        add, cont = field_, ""
    if add == "0":
        add = ""
    return add, frozenset(cont)


def parse_aff(path: str) -> Aff:
    aff = Aff()
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    single = {
        "FORBIDDENWORD", "NEEDAFFIX", "ONLYINCOMPOUND", "COMPOUNDBEGIN",
        "COMPOUNDMIDDLE", "COMPOUNDEND", "COMPOUNDPERMITFLAG", "COMPOUNDFLAG",
        "COMPOUNDFORBIDFLAG", "CIRCUMFIX", "KEEPCASE", "NOSUGGEST",
        "FORCEUCASE", "COMPOUNDROOT", "FLAG", "SET",
    }
    pending: dict[tuple[str, str], int] = {}
    seen_cpdrule_header = False
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        p = line.split()
        key = p[0]
        if key in single and len(p) >= 2:
            aff.opts[key] = p[1]
        elif key == "FULLSTRIP":
            aff.fullstrip = True
        elif key == "COMPOUNDRULE" and len(p) >= 2:
            # the first COMPOUNDRULE line only gives the number of rules
            if seen_cpdrule_header:
                aff.compound_rules.append(p[1])
            else:
                seen_cpdrule_header = True
        elif key in ("SFX", "PFX"):
            table = aff.sfx if key == "SFX" else aff.pfx
            flag = p[1]
            if (key, flag) not in pending and flag not in table:
                # header line: SFX flag Y|N count
                if len(p) < 4:
                    raise ValueError(f"{path}:{lineno}: bad affix header")
                table[flag] = AffixClass(key, flag, p[2] == "Y")
                pending[(key, flag)] = int(p[3])
                continue
            if pending.get((key, flag), 0) <= 0:
                raise ValueError(
                    f"{path}:{lineno}: more {key} {flag} lines than declared")
            pending[(key, flag)] -= 1
            strip = "" if p[2] == "0" else p[2]
            add, cont = split_affix_add(p[3])
            cond = p[4] if len(p) > 4 else "."
            cond_re, cond_len = parse_condition(cond)
            table[flag].entries.append(AffixEntry(
                key, flag, strip, add, cont, cond, cond_re, cond_len))
    for (key, flag), left in pending.items():
        if left:
            raise ValueError(f"{key} {flag}: {left} declared lines missing")
    if aff.opts.get("SET", "UTF-8").upper() != "UTF-8":
        raise ValueError("only SET UTF-8 dictionaries are supported")
    if "FLAG" in aff.opts:
        raise ValueError("only single-character flags are supported "
                         f"(found FLAG {aff.opts['FLAG']})")
    return aff


# --------------------------------------------------------------------------
# COMPOUNDRULE analysis
# --------------------------------------------------------------------------


def analyse_compound_rules(rules: list[str]) -> dict[str, set[str]]:
    """For every flag used in a COMPOUNDRULE, work out in which positions of
    a compound of two or more parts a word carrying it can stand:
    'B' first, 'M' middle, 'E' last.  A token is a flag optionally followed
    by '*' (0..n) or '?' (0..1); other tokens may be left out when they are
    optional, and a '*' token may be repeated."""
    caps: dict[str, set[str]] = {}
    for rule in rules:
        toks: list[tuple[str, str]] = []
        i = 0
        while i < len(rule):
            if rule[i] == "(":
                j = rule.index(")", i)
                flag, i = rule[i + 1:j], j + 1
            else:
                flag, i = rule[i], i + 1
            q = ""
            if i < len(rule) and rule[i] in "*?":
                q, i = rule[i], i + 1
            toks.append((flag, q))
        n = len(toks)
        for k, (flag, q) in enumerate(toks):
            before_optional = all(t[1] for t in toks[:k])
            after_optional = all(t[1] for t in toks[k + 1:])
            can_have_before = k > 0 or q == "*"
            can_have_after = k < n - 1 or q == "*"
            s = caps.setdefault(flag, set())
            if before_optional and can_have_after:
                s.add("B")
            if after_optional and can_have_before:
                s.add("E")
            if can_have_before and can_have_after:
                s.add("M")
    return caps


# --------------------------------------------------------------------------
# .dic parsing
# --------------------------------------------------------------------------

MORPH_FIELD = re.compile(r"[ \t]+[^ \t:]{2}:")


def parse_dic(path: str):
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    out = []
    for raw in lines[1:]:
        line = raw.split("\t", 1)[0].rstrip()   # drop morphological fields
        m = MORPH_FIELD.search(line)
        if m:
            line = line[:m.start()]
        if not line:
            continue
        # the first '/' that is not at position 0 and not escaped
        i = 1
        slash = -1
        while True:
            i = line.find("/", i)
            if i < 0:
                break
            if line[i - 1] != "\\":
                slash = i
                break
            i += 1
        if slash < 0:
            word, flags = line, ""
        else:
            word, flags = line[:slash], line[slash + 1:]
        word = word.replace("\\/", "/")
        out.append((word, frozenset(flags)))
    return out


# --------------------------------------------------------------------------
# Expansion
# --------------------------------------------------------------------------


class Expander:
    def __init__(self, aff: Aff):
        self.aff = aff
        o = aff.opts
        self.forbidden = o.get("FORBIDDENWORD", "%")
        self.needaffix = o.get("NEEDAFFIX")
        self.onlyincpd = o.get("ONLYINCOMPOUND")
        self.cpd_begin = o.get("COMPOUNDBEGIN")
        self.cpd_middle = o.get("COMPOUNDMIDDLE")
        self.cpd_end = o.get("COMPOUNDEND")
        self.cpd_permit = o.get("COMPOUNDPERMITFLAG")
        self.cpd_flag = o.get("COMPOUNDFLAG")
        rule_caps = analyse_compound_rules(aff.compound_rules)
        self.rule_caps = rule_caps
        self.rule_b = {f for f, c in rule_caps.items() if "B" in c}
        self.rule_m = {f for f, c in rule_caps.items() if "M" in c}
        self.rule_e = {f for f, c in rule_caps.items() if "E" in c}

    # --- affix application ---------------------------------------------

    def apply_sfx(self, e: AffixEntry, word: str) -> str | None:
        n = len(word)
        if not (n > len(e.strip) or (self.aff.fullstrip and n == len(e.strip))):
            return None
        if n < e.cond_len:
            return None
        if e.strip and not word.endswith(e.strip):
            return None
        if e.cond_re is not None and not e.cond_re.fullmatch(word, n - e.cond_len):
            return None
        return word[:n - len(e.strip)] + e.add

    def apply_pfx(self, e: AffixEntry, word: str) -> str | None:
        n = len(word)
        if not (n > len(e.strip) or (self.aff.fullstrip and n == len(e.strip))):
            return None
        if n < e.cond_len:
            return None
        if e.strip and not word.startswith(e.strip):
            return None
        if e.cond_re is not None and not e.cond_re.fullmatch(word, 0, e.cond_len):
            return None
        return e.add + word[len(e.strip):]

    # --- capabilities --------------------------------------------------

    def expand(self, word: str, flags: frozenset):
        """Yield (form, capability-set) for one .dic entry."""
        if self.forbidden in flags:
            return
        need = self.needaffix
        z = self.onlyincpd
        root_z = z in flags
        root_need = need in flags if need else False
        has = lambda f, *sets: f is not None and any(f in s for s in sets)

        rule_e_root = bool(flags & self.rule_e)

        # 1. the stem itself
        caps = set()
        if not root_need:
            if not root_z:
                caps.add("W")
            if has(self.cpd_begin, flags) or has(self.cpd_flag, flags) \
                    or flags & self.rule_b:
                caps.add("B")
            if has(self.cpd_middle, flags) or has(self.cpd_flag, flags) \
                    or flags & self.rule_m:
                caps.add("M")
            if has(self.cpd_end, flags) or has(self.cpd_flag, flags) \
                    or rule_e_root:
                caps.add("E")
        yield word, caps

        # 2. suffixed forms (incl. twofold suffixes)
        sfx_forms = []   # (form, entry) for cross products
        for f in flags:
            cls = self.aff.sfx.get(f)
            if cls is None:
                continue
            for e in cls.entries:
                form = self.apply_sfx(e, word)
                if form is None:
                    continue
                sfx_forms.append((form, e, cls))
                yield form, self.suffix_caps(flags, e.cont, rule_e_root, root_z)
                # twofold: outer suffix classes listed in this suffix's
                # continuation flags
                for f2 in e.cont:
                    cls2 = self.aff.sfx.get(f2)
                    if cls2 is None:
                        continue
                    for e2 in cls2.entries:
                        form2 = self.apply_sfx(e2, form)
                        if form2 is None:
                            continue
                        c = set()
                        if not has(need, e2.cont):
                            sfx_z = has(z, e.cont, e2.cont)
                            if not root_z and not sfx_z:
                                c.add("W")
                            # no COMPOUNDMORESUFFIXES: twofold forms are never
                            # first/middle parts; they may end a compound.
                            if not sfx_z and (
                                    has(self.cpd_end, flags, e.cont, e2.cont)
                                    or rule_e_root):
                                c.add("E")
                        yield form2, c

        # 3. prefixed forms, and prefix+suffix cross products
        for f in flags:
            pcls = self.aff.pfx.get(f)
            if pcls is None:
                continue
            for p in pcls.entries:
                pform = self.apply_pfx(p, word)
                if pform is None:
                    continue
                yield pform, self.prefix_caps(flags, p.cont, frozenset(),
                                              root_z)
                for sform, s, scls in sfx_forms:
                    if not (pcls.cross and scls.cross):
                        continue
                    both = self.apply_pfx(p, sform)
                    if both is None:
                        continue
                    yield both, self.prefix_caps(flags, p.cont, s.cont, root_z,
                                                 suffixed=True)
                # suffixes enabled only by the prefix's continuation class
                for f2 in p.cont:
                    scls = self.aff.sfx.get(f2)
                    if scls is None or f2 in flags:
                        continue
                    for s in scls.entries:
                        sform = self.apply_sfx(s, word)
                        if sform is None:
                            continue
                        both = self.apply_pfx(p, sform)
                        if both is None:
                            continue
                        yield both, self.prefix_caps(flags, p.cont, s.cont,
                                                     root_z, suffixed=True)

    def suffix_caps(self, flags, cont, rule_e_root, root_z):
        z, need, permit = self.onlyincpd, self.needaffix, self.cpd_permit
        c = set()
        cont_z = z is not None and z in cont
        if need is not None and need in cont:
            return c                     # needs a further affix
        if not root_z and not cont_z:
            c.add("W")
        # First / middle part: Hunspell allows a suffixed form here only if the
        # suffix carries COMPOUNDPERMITFLAG; the stem or the suffix must carry
        # COMPOUNDBEGIN (first) / COMPOUNDMIDDLE (middle).  COMPOUNDRULE parts
        # other than the last must be unaffixed stems.
        if permit is not None and permit in cont:
            if (self.cpd_begin in flags or self.cpd_begin in cont
                    or (self.cpd_flag and (self.cpd_flag in flags
                                           or self.cpd_flag in cont))):
                c.add("B")
            if (self.cpd_middle in flags or self.cpd_middle in cont
                    or (self.cpd_flag and (self.cpd_flag in flags
                                           or self.cpd_flag in cont))):
                c.add("M")
        # Last part: any suffix is allowed, except ONLYINCOMPOUND ones
        # (joining forms); COMPOUNDEND on stem or suffix, or a COMPOUNDRULE
        # flag that can be last, on the stem.
        if not cont_z:
            if (self.cpd_end in flags or self.cpd_end in cont or rule_e_root
                    or (self.cpd_flag and (self.cpd_flag in flags
                                           or self.cpd_flag in cont))):
                c.add("E")
        return c

    def prefix_caps(self, flags, pcont, scont, root_z, suffixed=False):
        # sv_SE.aff has no PFX; this follows Hunspell's rules in outline:
        # prefixes are allowed on a first part, need COMPOUNDPERMITFLAG
        # elsewhere; suffixes need it on non-final parts.
        z, need, permit = self.onlyincpd, self.needaffix, self.cpd_permit
        allc = pcont | scont
        c = set()
        if need is not None and need in allc:
            return c
        anyz = root_z or (z is not None and z in allc)
        if not anyz:
            c.add("W")
        s_ok_nonfinal = (not suffixed) or (permit is not None and permit in scont)
        p_ok_nonfirst = permit is not None and permit in pcont
        fl = flags | allc
        if s_ok_nonfinal and self.cpd_begin in fl:
            c.add("B")
        if s_ok_nonfinal and p_ok_nonfirst and self.cpd_middle in fl:
            c.add("M")
        if p_ok_nonfirst and not (z is not None and z in allc) \
                and (self.cpd_end in fl or flags & self.rule_e):
            c.add("E")
        return c


# --------------------------------------------------------------------------
# Filtering and output
# --------------------------------------------------------------------------

ORDER = "WBME"


def is_latin_letter(ch: str) -> bool:
    if not unicodedata.category(ch).startswith("L"):
        return False
    return "LATIN" in unicodedata.name(ch, "")


def keep_form(form: str) -> bool:
    if len(form) < 2:
        return False
    letters = 0
    for ch in form:
        if ch == "-":
            continue
        if not is_latin_letter(ch):
            return False
        letters += 1
    return letters > 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("aff")
    ap.add_argument("dic")
    ap.add_argument("out", help="output .tsv.gz")
    args = ap.parse_args(argv)

    aff = parse_aff(args.aff)
    dic = parse_dic(args.dic)
    ex = Expander(aff)

    forbidden_surfaces = {w for w, fl in dic if ex.forbidden in fl}

    table: dict[tuple[str, str], set[str]] = {}
    stats = {"entries": len(dic), "forbidden_entries": 0, "raw_forms": 0,
             "dropped_chars_or_len": 0, "dropped_no_flags": 0,
             "forbidden_surface_W_removed": 0}
    for word, flags in dic:
        if ex.forbidden in flags:
            stats["forbidden_entries"] += 1
            continue
        lemma = word.lower()
        for form, caps in ex.expand(word, flags):
            stats["raw_forms"] += 1
            if "W" in caps and form in forbidden_surfaces:
                # Hunspell rejects a word that is itself a forbidden .dic word
                caps = caps - {"W"}
                stats["forbidden_surface_W_removed"] += 1
            lf = form.lower()
            if not keep_form(lf):
                stats["dropped_chars_or_len"] += 1
                continue
            key = (lf, lemma)
            if key in table:
                table[key] |= caps
            else:
                table[key] = set(caps)

    buf = io.StringIO()
    lines = 0
    counts = {c: 0 for c in ORDER}
    for (form, lemma) in sorted(table):
        caps = table[(form, lemma)]
        if not caps:
            stats["dropped_no_flags"] += 1
            continue
        fl = "".join(c for c in ORDER if c in caps)
        for c in fl:
            counts[c] += 1
        buf.write(f"{form}\t{lemma}\t{fl}\n")
        lines += 1

    data = buf.getvalue().encode("utf-8")
    with open(args.out, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                           compresslevel=9, mtime=0) as gz:
            gz.write(data)

    rc = ex.rule_caps
    print(f"compound-rule flag capabilities: "
          + ", ".join(f"{f}:{''.join(c for c in 'BME' if c in rc[f])}"
                      for f in sorted(rc)), file=sys.stderr)
    for k, v in stats.items():
        print(f"{k}: {v}", file=sys.stderr)
    print(f"lines: {lines}", file=sys.stderr)
    print("lines with flag: " + ", ".join(f"{c}={counts[c]}" for c in ORDER),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
