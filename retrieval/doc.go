// Package retrieval finds the sentences that answer a question. It keeps
// a bleve index of a corpus's sentences on disk (or in memory), updated
// article by article as the corpus changes; analyses questions (answer
// type, focus, lexical bridges from an embedded WordNet lexicon); ranks
// candidates with BM25 over true sentence lengths plus switchable
// features, and decides calibrated no-answers. It also provides lookups,
// term lists for autocomplete, extractive article summaries for the
// digest, and the evaluation metrics of `verbatim eval`.
package retrieval
