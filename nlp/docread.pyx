# cython: language_level=3, boundscheck=False, wraparound=False
"""The functions of ``nlp/docread.py`` (the reference: see its docstring), reading spaCy's C structures."""

from cython.operator cimport dereference as deref
from libcpp.unordered_map cimport unordered_map
from libcpp.vector cimport vector
from preshed.maps cimport MapStruct, key_t, map_get, map_iter
from spacy.attrs cimport NORM, attr_id_t
from spacy.matcher.phrasematcher cimport PhraseMatcher
from spacy.structs cimport LexemeC, SpanC, TokenC
from spacy.tokens.doc cimport Doc
from spacy.tokens.token cimport Token
from spacy.typedefs cimport attr_t


cdef inline const TokenC* _token(Doc doc, int i) except NULL:
    # as ``Doc.__getitem__``: a negative position counts from the end; out of range is an IndexError
    if i < 0:
        i += doc.length
    if i < 0 or i >= doc.length:
        raise IndexError(f"token position {i} out of range for a doc of {doc.length} tokens")
    return &doc.c[i]


cdef inline attr_t _attr(const TokenC* token, attr_id_t attr) noexcept nogil:
    # ``Token.get_struct_attr``, with the components' attribute (NORM) read here: spaCy's copy of that function in
    # its phrase-matcher module takes and releases the GIL at each call, which cost more than the rest of the walk
    if attr == NORM:
        return token.lex.norm if token.norm == 0 else token.norm
    return Token.get_struct_attr(token, attr)


cdef inline int _push_ends(const MapStruct* node, key_t terminal, int start, int end, vector[SpanC]* matches) except -1:
    # the hits of the phrases that end at ``node`` of the trie (its terminal map's keys), as spaCy adds them
    cdef void* ends = map_get(node, terminal)
    cdef key_t key
    cdef void* value
    cdef int i = 0
    cdef SpanC ms
    if ends:
        while map_iter(<MapStruct*>ends, &i, &key, &value):
            ms.label = key
            ms.start = start
            ms.end = end
            matches.push_back(ms)
    return 0


cdef int _find_matches(PhraseMatcher matcher, Doc doc, vector[SpanC]* matches) except -1:
    # ``PhraseMatcher.find_matches`` of spaCy 3.8 (spacy/matcher/phrasematcher.pyx) over the whole doc, step for
    # step: the same hits in the same order, each token's attribute read by ``_attr``
    cdef MapStruct* current_node
    cdef int start
    cdef int idx = 0
    cdef int idy
    cdef int end_idx = doc.length
    cdef void* result
    cdef attr_id_t attr = matcher.attr
    cdef key_t terminal = matcher._terminal_hash
    while idx < end_idx:
        start = idx
        result = map_get(matcher.c_map, _attr(&doc.c[idx], attr))
        if result:
            current_node = <MapStruct*>result
            idy = idx + 1
            while idy < end_idx:
                _push_ends(current_node, terminal, start, idy, matches)
                result = map_get(current_node, _attr(&doc.c[idy], attr))
                if result:
                    current_node = <MapStruct*>result
                    idy += 1
                else:
                    break
            else:
                _push_ends(current_node, terminal, start, idy, matches)  # end of doc reached
        idx += 1
    return 0


def matches(PhraseMatcher matcher, Doc doc):
    cdef vector[SpanC] found
    cdef list out = []
    cdef size_t k
    if doc.length == 0:
        return out
    _find_matches(matcher, doc, &found)
    for k in range(found.size()):
        out.append((found[k].label, found[k].start, found[k].end))
    return out


cdef inline attr_t _mix(attr_t key, attr_t first) noexcept nogil:
    return key * <attr_t>0x9E3779B97F4A7C15 ^ first


cdef class Phrases:
    cdef PhraseMatcher matcher
    # (match key mixed with the first word's lower-case id) -> [key, the phrase's lower-case ids...] of each phrase
    cdef unordered_map[attr_t, vector[vector[attr_t]]] by_start

    def __init__(self, PhraseMatcher matcher, dict phrases):
        cdef vector[attr_t] sequence
        self.matcher = matcher
        for key, lowers in phrases.items():
            for words in lowers:
                if len(words) == 0:
                    continue  # (a hit has a word at least)
                sequence.clear()
                sequence.push_back(key)
                for word in words:
                    sequence.push_back(word)
                self.by_start[_mix(key, words[0])].push_back(sequence)

    cdef bint _known(self, Doc doc, const SpanC* span) noexcept:
        cdef unordered_map[attr_t, vector[vector[attr_t]]].iterator found
        cdef size_t k, n = span.end - span.start
        cdef int i
        found = self.by_start.find(_mix(span.label, doc.c[span.start].lex.lower))
        if found == self.by_start.end():
            return False
        for k in range(deref(found).second.size()):
            if deref(found).second[k].size() != n + 1 or deref(found).second[k][0] != span.label:
                continue
            for i in range(span.start, span.end):
                if deref(found).second[k][i - span.start + 1] != doc.c[i].lex.lower:
                    break
            else:
                return True
        return False

    def hits(self, Doc doc):
        cdef vector[SpanC] found
        cdef list out = []
        cdef size_t k
        cdef int last
        if doc.length == 0:
            return out
        _find_matches(self.matcher, doc, &found)
        for k in range(found.size()):
            if self._known(doc, &found[k]):
                last = found[k].end - 1
                out.append((found[k].label, found[k].start, found[k].end, doc.c[found[k].start].idx,
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
