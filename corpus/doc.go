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
// source. A line broken inside a sentence (a line that ends without closing
// punctuation followed by one that starts in lower case or with a dash) is
// rejoined. A short last line that credits a wire agency ("PA", "AP",
// "Reuters") is not a sentence: it becomes the article's Agency.
//
// # Speakers
//
// Each sentence that reports someone's words names them in
// [Sentence.Speaker], with their role, when the article gives one, in
// [Sentence.Role]: "The US ambassador to Iraq, Zalmy Khalilzad, said ..."
// is Zalmy Khalilzad's, role "US ambassador to Iraq", and so are the
// sentences that later say "He declined ..." or "Mr Khalilzad called ...".
// Speakers are people, groups ("Iraqi officials", "police") and bodies
// ("Foreign Office"); a group loses its leading determiner ("the
// delegates" is "delegates"). A sentence that only mentions someone, or
// says what they did not say ("Mr Zebari did not say whether ..."), has no
// speaker. Attribution follows English news conventions with word lists
// and patterns, not a trained model, so it errs on unusual phrasing; the
// rules and their limits are documented on attributeSpeakers.
//
// This package imports nothing else of verbatim's.
package corpus
