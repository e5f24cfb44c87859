package retrieval

import "testing"

// TestNamesakeSpan checks the answer words of a question that asks whom a
// thing is named after: a name after its marker, taken whole; other words
// to the end of their clause; nothing for a time's "after", nor for a
// question that asks something else.
func TestNamesakeSpan(t *testing.T) {
	checkAnswerWords(t, []answerWordsCase{
		{"The reading room is named after Joseph Lund, who founded the library.", "who is the lund room named after", "Joseph Lund"},
		{"One of the bells is now called Arthur, after Canon Arthur Dimmock, vicar for 41 years.", "who does the bell called arthur honour", "Canon Arthur Dimmock"},
		{"The garden honours Edith Garside, a retired postwoman, and opened in May.", "who is the garside garden named for", "Edith Garside"},
		{"It is called the Cottrell Ward in memory of a volunteer who fed the orphans by hand, until she died last year.", "who is the cottrell ward named after", "a volunteer who fed the orphans by hand"},
		{"A bench by the gate commemorates the gardener who planted the first trees and who died in 2020.", "who is the bench a tribute to", "the gardener who planted the first trees"},
		{"The hall, named after a mill owner who paid £12,000 for it, opened in 1923.", "who is the hall called after", "a mill owner who paid £12,000 for it"},
		// A name that owns the namesake runs on to who it is, and to
		// the name given after it; "nicknamed" names, and "take its
		// name from" asks, as "named after" does.
		{"The 58-foot boat was named after Mr Antrobus's grandmother, who steered barges.", "who was the boat called after", "Mr Antrobus's grandmother"},
		{"The starter is nicknamed Big Albert after Mr Tilley's grandfather, Albert Tilley, a miner.", "who is big albert named for", "Mr Tilley's grandfather, Albert Tilley"},
		{"A new sourdough has been named after Ezekiel's wife Ethel Cattermole and sells for £3.20.", "who is the loaf named after", "Ezekiel's wife Ethel Cattermole"},
		{"The alpaca was named after Mrs Quaile’s late father, who kept sheep.", "who does the alpaca take his name from", "Mrs Quaile’s late father"},
		// A describer before the name is not the name.
		{"The centre is named after Olympic rower Agatha Mabey, who grew up in the town.", "who is the sports centre named after", "Agatha Mabey"},
		{"The shield is named after Mary Ellis and John Ellis, who ran the club.", "who is the shield named after", "Mary Ellis"},
		{"It has been named Nancy's Bridge, after lollipop lady Nancy Quarmby, who retired last summer.", "who is the bridge named after", "Nancy Quarmby"},
		{"The engine is called Sir Edmund after the mill owner Sir Edmund Threapleton.", "who is the engine called after", "the mill owner Sir Edmund Threapleton"},
		// "After whom" asks it too.
		{"The junior prize is the Oakden Shield, named after Walter Oakden, who began the show.", "after whom is the hartsby junior prize named", "Walter Oakden"},
		// "What is it named after" asks for a thing as "who" asks for a
		// person.
		{"Mill Lane is named after a corn mill that stood by the ford until 1890.", "what is mill lane in hartsby named after", "a corn mill that stood by the ford until 1890"},
		// A time's "after" names no one.
		{"The hall reopened after a storm, and the Brearley Wing was rebuilt.", "who is the brearley wing named after", ""},
		{"The heaviest eel was dubbed Old Nell after Nell Gatenby, who ran the ferry.", "which woman was the eel named after", "Nell Gatenby"},
		// A question that asks something else keeps its own answer words.
		{"The reading room was named after Joseph Lund in 1990.", "when was the reading room named", "1990"},
	})
}
