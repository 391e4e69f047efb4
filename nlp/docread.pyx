# cython: language_level=3, boundscheck=False, wraparound=False
"""The functions of ``nlp/docread.py`` (the reference: see its docstring), reading spaCy's C structures."""

from cython.operator cimport dereference as deref
from libcpp.unordered_map cimport unordered_map
from libcpp.vector cimport vector
from spacy.matcher.phrasematcher cimport PhraseMatcher
from spacy.structs cimport LexemeC, SpanC, TokenC
from spacy.typedefs cimport attr_t
from spacy.tokens.doc cimport Doc


cdef inline const TokenC* _token(Doc doc, int i) except NULL:
    # as ``Doc.__getitem__``: a negative position counts from the end; out of range is an IndexError
    if i < 0:
        i += doc.length
    if i < 0 or i >= doc.length:
        raise IndexError(f"token position {i} out of range for a doc of {doc.length} tokens")
    return &doc.c[i]


def matches(PhraseMatcher matcher, Doc doc):
    cdef vector[SpanC] found
    cdef list out = []
    cdef size_t k
    if doc.length == 0:
        return out
    matcher.find_matches(doc, 0, doc.length, &found)
    for k in range(found.size()):
        out.append((found[k].label, found[k].start, found[k].end))
    return out


def phrase_hits(PhraseMatcher matcher, Doc doc, dict phrases):
    cdef vector[SpanC] found
    cdef list out = []
    cdef size_t k
    cdef int i, last
    cdef SpanC span
    if doc.length == 0:
        return out
    matcher.find_matches(doc, 0, doc.length, &found)
    for k in range(found.size()):
        span = found[k]
        if tuple([doc.c[i].lex.lower for i in range(span.start, span.end)]) in phrases[span.label]:
            last = span.end - 1
            out.append((span.label, span.start, span.end, doc.c[span.start].idx,
                        doc.c[last].idx + <int>doc.c[last].lex.length))
    return out


def idx(Doc doc, int i):
    return _token(doc, i).idx


def end(Doc doc, int i):
    cdef const TokenC* token = _token(doc, i)
    return token.idx + <int>token.lex.length


def lower(Doc doc, int i):
    return _token(doc, i).lex.lower


def orth(Doc doc, int i):
    return _token(doc, i).lex.orth


def suffix(Doc doc, int i):
    return _token(doc, i).lex.suffix


cdef class WordBits:
    cdef unordered_map[attr_t, long] table
    cdef vector[attr_t] suffixes
    cdef long suffix_bit

    def __init__(self, dict table, suffixes, long suffix_bit):
        for key, value in table.items():
            self.table[key] = value
        for suffix in suffixes:
            self.suffixes.push_back(suffix)
        self.suffix_bit = suffix_bit

    def read(self, Doc doc):
        cdef list out = []
        cdef const LexemeC* lex
        cdef unordered_map[attr_t, long].iterator found
        cdef long bits
        cdef int k
        cdef size_t j
        for k in range(doc.length):
            lex = doc.c[k].lex
            found = self.table.find(lex.lower)
            bits = 0 if found == self.table.end() else deref(found).second
            for j in range(self.suffixes.size()):
                if lex.suffix == self.suffixes[j]:
                    bits |= self.suffix_bit
                    break
            out.append(bits)
        return out


def lowers(Doc doc, int start, int stop):
    cdef int k
    if start < 0 or stop > doc.length or start > stop:
        raise IndexError(f"token positions {start}:{stop} out of range for a doc of {doc.length} tokens")
    return tuple([doc.c[k].lex.lower for k in range(start, stop)])
