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
//     "Published:", "Author:" and "Agency:" lines (keys in any case), then a
//     blank line, then the body with paragraphs one per line or separated by
//     blank lines. Lines with other keys, or known keys not ended by a blank
//     line, are text;
//   - .md: optional YAML front matter between "---" lines ("published", or
//     else "date"; "author" may be a list), then Markdown. The article's
//     text is the rendered text of its paragraphs, list items and block
//     quotes; headings, code, HTML blocks and images are not text, and the
//     first level-one heading is the title when nothing else gives one;
//   - .json: an object {title, source, url, published, author, agency,
//     body}, body being a string or an array of paragraphs; other fields
//     are ignored, and author may be a list.
//
// A .txt or .md file may keep its metadata in a sidecar NAME.meta.json
// (the same fields as a .json article); the file's own metadata wins and
// the sidecar fills what it lacks. A sidecar is never an article.
//
// Files are UTF-8 (a byte order mark is dropped), UTF-16 with a byte order
// mark, or Windows-1252 when their bytes read as Windows-1252 text (the
// article's Encoding says so); binary files, empty files, files over
// [MaxFileBytes] and files in no encoding verbatim can tell are refused
// with [ErrBinary], [ErrNoText], [ErrTooLarge] and [ErrEncoding]. [LoadDir] loads what it can and reports every other file
// as a [*FileError].
//
// # A folder that changes
//
// A [Corpus] never changes; a folder does. A [Watcher] follows one while a
// bot runs: it reads the folder once (as LoadDir), then, after each quiet
// moment that follows a change, reads again only the files that changed
// (or whose sidecar did) and hands over a new Corpus in which unchanged
// articles are the same *Article values.
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
// paragraphs. A short last paragraph that credits a wire agency ("PA",
// "(AP)", "Reuters.") is not a sentence: it becomes the article's Agency;
// a short sentence ("Talks resume on Monday.") stays text.
//
// # Sentences
//
// [SplitSentences] finds sentences with Punkt (github.com/neurosnap/sentences,
// trained on English), corrected for news copy: numbers, money and web
// addresses end sentences; titles, initials and "U.S." before a name do
// not; "No." is an abbreviation before a number, "a.m." and "p.m." before
// a weekday or a time zone. Its doc comment says what it cannot tell.
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
