// Package corpus holds the articles verbatim quotes from: the domain types
// ([Article], [Paragraph], [Sentence]), the loaders for article files, sentence
// segmentation, speaker attribution and the corpus fingerprint.
//
// # Articles
//
// An article is read from one file. Its id is the file name without the
// extension. Three formats are understood:
//
//   - .txt: an optional leading header block of "Title:", "Source:", "URL:",
//     "Published:" and "Author:" lines, then a blank line, then the body with
//     paragraphs one per line or separated by blank lines;
//   - .md: YAML front matter between "---" lines, then the body;
//   - .json: an object {title, source, url, published, author, body}.
//
// A .txt or .md file may keep its metadata in a sidecar NAME.meta.json
// instead; a sidecar is not an article.
//
// # Text
//
// Sentence text is kept exactly as the article has it, with runs of white
// space folded to one space, so every quote can be checked against the
// source. A plain-text body may hold a paragraph on each line, or blocks
// hard-wrapped over several lines and separated by blank lines; which one
// is read from its line breaks (most lines of wrapped text end inside a
// sentence). With a paragraph on each line, a line broken inside a sentence
// (a line that ends without closing punctuation followed by one that starts
// in lower case or with a dash) is rejoined. Bullet lines stay separate
// paragraphs. A short last line that credits a wire agency ("PA", "AP",
// "Reuters") is not a sentence: it becomes the article's Agency.
//
// This package imports nothing else of verbatim's.
package corpus
