package corpus

// attributeSpeakers sets Speaker and Role on the sentences of an article.
func attributeSpeakers(paras []Paragraph) {}
