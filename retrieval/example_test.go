package retrieval_test

import (
	"context"
	"fmt"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

func ExampleIndex_Ask() {
	c, err := corpus.Default()
	if err != nil {
		panic(err)
	}
	ix, err := retrieval.OpenMemory(context.Background(), c, retrieval.Options{})
	if err != nil {
		panic(err)
	}
	defer ix.Close()
	a, err := ix.Ask(context.Background(), retrieval.Query{Text: "Where do Iraqi officials want the next meeting?", Top: 1})
	if err != nil {
		panic(err)
	}
	q := a.Quotes[0]
	fmt.Printf("%q\n%s, paragraph %d\n", q.Text, q.Article.Title, q.Paragraph)
	// Output:
	// "Iraqi officials, however, say they want the next meeting to take place in Baghdad."
	// US and Iran talk during conference, paragraph 11
}

func ExampleIndex_Ask_noAnswer() {
	c, _ := corpus.Default()
	ix, _ := retrieval.OpenMemory(context.Background(), c, retrieval.Options{})
	defer ix.Close()
	a, _ := ix.Ask(context.Background(), retrieval.Query{Text: "How many American troops are stationed in Iraq?"})
	fmt.Println(a.NoAnswer, len(a.Quotes), a.Confidence < retrieval.DefaultConfidenceThreshold())
	// Output: true 0 true
}
