package corpus

import "strings"

// The word tables speaker attribution reads. They are built once, when the
// package is initialised, and never written after: every lookup is by the
// ASCII-lower-cased word.

// verbClass says when a reporting verb reports speech.
type verbClass uint8

const (
	// speechVerb reports speech whatever follows it: "said", "told",
	// "urged", "denied the claims".
	speechVerb verbClass = iota + 1
	// clauseVerb reports speech only with a clause or a quotation after
	// it: "proposed that ...", "suggested: "...""; "proposed a meeting"
	// reports an act, not words.
	clauseVerb
	// callVerb is "call": speech in "called for", "called on", "called it
	// a failure", "called the plan "reckless"", not in "called the police".
	callVerb
	// describeVerb is "describe", "dismiss", "condemn" and the like:
	// speech with "as ..." or a quotation after the object.
	describeVerb
)

// verbForm is the inflection of a reporting verb as written.
type verbForm uint8

const (
	formBase verbForm = iota // say
	formS                    // says
	formPast                 // said (also the past participle)
	formIng                  // saying
)

// verbInfo describes one written form of a reporting verb.
type verbInfo struct {
	class verbClass
	form  verbForm
	// toInf: an infinitive after the verb is its clause ("proposed to
	// hold talks", "vowed to fight on").
	toInf bool
	// objThat: the clause may follow an object ("assured voters that").
	objThat bool
}

// reportingVerbs maps every written form of the reporting verbs to what it
// is. "declined" and "refused" are not here: "declined to comment" reports
// no words (see negators).
var reportingVerbs = buildVerbs([]verbGroup{
	{speechVerb, 0, `say tell add warn insist stress note announce deny claim
		argue explain acknowledge ask reply confirm urge declare admit concede
		remark comment emphasise emphasize reiterate caution complain allege
		affirm assert boast quip joke testify tweet reveal disclose mention
		retort lament counter shout whisper mutter murmur confide apologise
		apologize`},
	{speechVerb, withInf, `vow pledge promise`},
	{clauseVerb, withInf, `propose suggest recommend demand threaten`},
	{clauseVerb, 0, `predict estimate observe recall maintain state respond
		continue conclude forecast contend hint speculate report agree answer
		write`},
	{clauseVerb, withObject, `assure inform remind advise notify`},
	{callVerb, 0, `call`},
	{describeVerb, 0, `describe dismiss condemn praise hail criticise criticize
		welcome brand characterise characterize label`},
})

// irregularVerbs lists the forms the regular rules get wrong, as
// "base s past ing".
var irregularVerbs = map[string][4]string{
	"say":     {"say", "says", "said", "saying"},
	"tell":    {"tell", "tells", "told", "telling"},
	"write":   {"write", "writes", "wrote", "writing"},
	"admit":   {"admit", "admits", "admitted", "admitting"},
	"quip":    {"quip", "quips", "quipped", "quipping"},
	"counter": {"counter", "counters", "countered", "countering"},
}

// verbGroup is a list of reporting verbs that behave alike.
type verbGroup struct {
	class  verbClass
	flags  uint8 // withInf, withObject
	lemmas string
}

const (
	withInf    = 1 << iota // verbInfo.toInf
	withObject             // verbInfo.objThat
)

func buildVerbs(groups []verbGroup) map[string]verbInfo {
	m := make(map[string]verbInfo)
	for _, g := range groups {
		for _, lemma := range strings.Fields(g.lemmas) {
			forms, ok := irregularVerbs[lemma]
			if !ok {
				forms = regularForms(lemma)
			}
			for f, w := range forms {
				m[w] = verbInfo{class: g.class, form: verbForm(f),
					toInf: g.flags&withInf != 0, objThat: g.flags&withObject != 0}
			}
			if lemma == "write" {
				m["written"] = verbInfo{class: g.class, form: formPast}
			}
		}
	}
	return m
}

// regularForms inflects a regular English verb: "note" gives "notes",
// "noted", "noting"; "deny" gives "denies", "denied", "denying".
func regularForms(v string) [4]string {
	last := v[len(v)-1]
	switch {
	case last == 'e':
		return [4]string{v, v + "s", v + "d", v[:len(v)-1] + "ing"}
	case last == 'y' && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		stem := v[:len(v)-1]
		return [4]string{v, stem + "ies", stem + "ied", v + "ing"}
	case strings.HasSuffix(v, "s") || strings.HasSuffix(v, "sh") || strings.HasSuffix(v, "ch") || strings.HasSuffix(v, "x"):
		return [4]string{v, v + "es", v + "ed", v + "ing"}
	}
	return [4]string{v, v + "s", v + "ed", v + "ing"}
}

// wordSet is a set of the word lists below, one bit each.
type wordSet uint64

// The word lists attribution reads. A word's entry in lexicon holds the
// bits of every list it is in, so that one map lookup per token classifies
// it (see token.lex).
const (
	courtesyTitles wordSet = 1 << iota
	abbrevTitles
	officeTitles
	maleTitles
	femaleTitles
	nameParticles
	groupNouns
	roleNouns
	orgNouns
	docNouns
	orgWords
	placeWords
	determiners
	possessiveDets
	commonModifiers
	stopWords
	pronouns
	auxiliaries
	beForms
	negators
	chainAdvs
	refusals
	continuations
	coordinators
	timeNouns
	timeDets
	weekdays
	whWords
	callObjects
	interjections
	relatives
	tailPreps
	inverting
	prepositions
	notPeople
	// verbForms are the written forms of the reporting verbs.
	verbForms

	speakerNouns = groupNouns | roleNouns | orgNouns
	titleWords   = courtesyTitles | abbrevTitles | officeTitles
)

// has reports whether the lower-case word w is in one of the lists of s.
func (s wordSet) has(w string) bool { return lexicon[w]&s != 0 }

// lexicon maps each listed word to the lists that hold it.
var lexicon = buildLexicon(wordLists)

func buildLexicon(lists map[wordSet]string) map[string]wordSet {
	m := make(map[string]wordSet)
	for set, words := range lists {
		for _, w := range strings.Fields(words) {
			m[w] |= set
		}
	}
	for w := range reportingVerbs {
		m[w] |= verbForms
	}
	return m
}

// namePrefixes are the lower-case prefixes joined to a surname by a hyphen:
// "al-Maliki", "el-Sisi".
var namePrefixes = []string{"al-", "el-", "ad-", "ash-"}

// objectPronouns stand for a speaker after "according to".
var objectPronouns = map[string]string{"him": "he", "her": "she", "them": "they"}

var wordLists = map[wordSet]string{
	// Titles. A courtesy title is dropped from a name and says nothing of the
	// role; an office title is dropped from the name and, spelled out, is the
	// role when the article gives no other ("President George Bush").
	courtesyTitles: `mr mrs ms miss mx dr sir dame lord lady madam
		mme mlle herr frau monsieur father rev reverend hon`,
	abbrevTitles: `gen lt col capt maj sgt cpl pvt adm cmdr rep sen
		gov pres prof supt insp det brig`,
	officeTitles: `president vice-president minister secretary
		chancellor senator governor mayor ambassador general colonel captain
		lieutenant sergeant commander admiral marshal judge justice king queen
		prince princess emperor empress pope cardinal archbishop bishop ayatollah
		sheikh sheik imam rabbi emir sultan chief inspector detective
		superintendent constable commissioner chairman chairwoman professor
		congressman congresswoman representative speaker premier taoiseach
		tanaiste president-elect attorney-general attorney director executive
		envoy leader whip chair chairperson secretary-general director-general
		officer`,
	maleTitles:   `mr sir lord herr monsieur king prince emperor chairman congressman father`,
	femaleTitles: `mrs ms miss dame lady madam mme mlle frau queen princess empress chairwoman congresswoman`,

	// nameParticles are the lower-case words inside names: "Osama bin Laden",
	// "Charles de Gaulle", "Ursula von der Leyen".
	nameParticles: `al el bin ibn bint de del della der den di da du dos das van von le la ter ten y`,

	// Speaker nouns: the heads of the common-noun phrases that can report
	// speech. groupNouns are plural (resolved by "they"); roleNouns name one
	// person (resolved by "he" or "she"); orgNouns one body (resolved by "it").
	groupNouns: `officials authorities police witnesses residents
		delegates diplomats sources analysts experts lawmakers legislators
		ministers leaders investigators prosecutors doctors medics paramedics
		researchers scientists critics officers protesters protestors
		demonstrators organisers organizers lawyers activists campaigners
		economists observers negotiators aides spokesmen spokeswomen
		spokespeople militants rebels soldiers troops workers employees staff
		unions parents teachers students fans voters supporters opponents
		members representatives executives managers bankers traders dealers
		investors farmers firefighters rescuers survivors relatives neighbours
		neighbors villagers locals citizens people families men women
		scholars historians pollsters envoys commanders mps senators
		congressmen governments agencies ministries`,
	roleNouns: `spokesman spokeswoman spokesperson official source
		witness minister ambassador envoy diplomat president chairman
		chairwoman chair chief director head leader commander general governor
		mayor senator lawmaker legislator analyst expert economist professor
		researcher scientist doctor lawyer attorney prosecutor judge officer
		detective inspector superintendent sergeant aide adviser advisor
		negotiator executive manager owner founder secretary chancellor premier
		king queen prince princess pope bishop priest coach captain player
		resident neighbour neighbor relative mother father son daughter brother
		sister wife husband widow friend colleague teacher student worker
		employee member representative correspondent reporter editor author
		columnist campaigner activist organiser organizer protester survivor
		victim driver pilot passenger farmer landlord tenant nurse surgeon
		medic paramedic firefighter engineer consultant strategist pollster
		historian deputy counsel solicitor barrister coroner magistrate sheriff
		constable soldier colonel lieutenant admiral commissioner regulator
		treasurer trustee principal headteacher headmaster dean vicar rabbi
		imam cleric monarch ruler candidate nominee challenger incumbent
		opponent critic supporter investor trader banker broker mp mep
		congressman congresswoman man woman boy girl person ceo chef
		speaker prime-minister vice-president president-elect taoiseach
		vet veterinarian beekeeper fisherman keeper ranger warden`,
	orgNouns: `government ministry department company firm agency
		army military navy embassy council committee commission party union
		group bank board office administration authority campaign team club
		organisation organization institute association federation league
		charity foundation watchdog service force coalition alliance cabinet
		parliament senate congress secretariat presidency palace network
		newspaper broadcaster airline carrier manufacturer retailer insurer
		lender operator producer exporter supplier developer publisher studio
		university school hospital trust family court regime assembly giant
		coastguard jury body panel surgery`,
	// docNouns head phrases that quote a document; "a statement from the
	// ministry" is the ministry's speech, "the report" alone is nobody's.
	docNouns: `statement report reports figures data document documents
		survey poll study records estimates filing filings letter memo
		communique release indictment complaint lawsuit`,
	// orgWords end the proper names of organisations: "Foreign Ministry",
	// "White House", "UN Security Council".
	orgWords: `ministry department office council commission committee
		party government house agency bank company group corporation corp inc
		ltd plc association union court army forces force service authority
		board embassy institute university college foundation organisation
		organization federation league network times news post press police
		guard guards navy senate congress parliament assembly secretariat fund
		trust programme program centre center coalition alliance movement
		front brigades administration bureau unit command cabinet kremlin
		pentagon vatican reuters church club nations watch international motors
		airlines airways`,

	// placeWords mark multi-word names of places rather than people: "North
	// Korea", "Saudi Arabia", "Downing Street". A place may speak ("Downing
	// Street said") but "he" never refers to it.
	placeWords: `north south east west new saudi united korea arabia
	states kingdom city county island islands republic gulf sea river mount
	lake bay street road square airport station castle bridge valley strip
	coast middle latin america africa asia europe emirates`,

	// determiners are dropped from the front of a speaker or role: "the
	// delegates" is reported as "delegates", "a spokesman" as "spokesman".
	determiners: `the a an this that these those some several many
	most other another both all few one two three four five six seven eight
	nine ten dozens hundreds thousands scores any each`,

	// possessiveDets open a role in apposition: "Mr Smith, his lawyer, said".
	possessiveDets: `his her their its our my your`,

	// commonModifiers are lower-case words that may open a speaker phrase at the
	// start of a sentence ("Senior officials said"); the speaker is given in
	// lower case ("senior officials").
	commonModifiers: `senior junior local foreign former top
	military government security health police state federal regional
	western eastern northern southern other some many several unnamed
	anonymous independent opposition party union company industry hospital
	rescue church army navy prison court defence defense prime deputy vice
	acting interim chief finance interior justice education trade home
	economy energy environment transport housing agriculture culture labour
	labor treasury immigration veteran retired elected outgoing incoming
	exiled jailed detained disgraced embattled new longtime
	long-time young elderly`,

	// stopWords are capitalised words that are never part of a name: at the
	// start of a sentence "The", "But", "In", "Yesterday" are capitalised too.
	// Weekdays and months are here so that "On Monday Smith said" finds Smith.
	stopWords: `the a an this that these those some several many
	most other another both all few any each every no not
	and or but nor yet so for because although though while whereas if unless
	until since after before when whenever where wherever whether as than
	then also still however meanwhile moreover furthermore nevertheless
	nonetheless instead indeed yesterday today tonight tomorrow now earlier
	later again already soon once last next
	in on at by with from to of into onto over under about above below
	between among through during against without within across around
	behind beyond near toward towards upon despite amid amongst via per
	he she they it we i you him her them us me his its their our my your
	who whom whose which what why how there here
	is are was were be been being am has have had do does did will would
	shall should can could may might must
	monday tuesday wednesday thursday friday saturday sunday
	january february march april june july august september october
	november december sept
	speaking asked according following citing quoting echoing adding
	like unlike such only even just perhaps maybe
	yes oh well please thank thanks`,

	// pronouns head a reporting clause and refer back to a speaker.
	pronouns: `he she they it`,

	// auxiliaries, negators and adverbs may stand between a subject and its
	// reporting verb: "Mr Zebari did not say", "He has also repeatedly said".
	auxiliaries: `has have had having did do does will would shall
		should can could may might must is are was were be been being am`,
	beForms:  `is are was were be been being am`,
	negators: `not never neither nor cannot no`,
	chainAdvs: `also later again then previously repeatedly
		recently earlier further yesterday today tonight publicly privately
		reportedly separately simply only just always often once still first
		last initially subsequently eventually finally immediately frequently
		himself herself themselves itself however too already now quickly
		soon long`,
	// refusals before "to" negate the verb: "declined to say", "refused to
	// comment".
	refusals: `declined refused failed declining refusing
		decline refuse declines refuses unwilling reluctant`,
	// continuations before "to" keep it speech: "went on to say".
	continuations: `on continued proceeded went`,
	coordinators:  `and but or yet then while before after`,
	timeNouns:     `week month year night weekend morning evening afternoon`,
	timeDets:      `last this next earlier later`,
	weekdays:      `monday tuesday wednesday thursday friday saturday sunday`,

	// whWords open a reported question: "did not say whether ...".
	whWords: `whether how why what when where who if which`,

	// callObjects are the objects after which "call" names something: "called
	// it a first step", "calling them constructive".
	callObjects: `it them him her this that these those`,

	// interjections open a comma-bounded phrase between a subject and its verb
	// that is neither a role nor a name: "Iraqi officials, however, say".
	interjections: `however meanwhile though too also nonetheless
	nevertheless moreover furthermore instead therefore then now today
	yesterday tonight earlier later again in on at for from speaking asked
	writing like unlike as after before during while when once separately
	similarly likewise indeed of apparently reportedly notably perhaps still
	additionally echoing citing quoting according by with who which
	whose where whom that`,

	// relatives open a relative clause: "Mr Smith, who chairs the committee,
	// said".
	relatives: `who which whose whom where`,

	// tailPreps open the prepositional tail of a speaker phrase:
	// "spokesman for the ministry", "ambassador to Iraq".
	tailPreps: `for of to at from in`,
	// inverting are the verb forms that come before their subject in an
	// attribution: `"...," said Mr Smith`, `..., added the minister`.
	inverting: `said says added adds asked asks replied replies wrote writes
		continued continues explained explains insisted insists warned warns
		recalled recalls noted notes admitted admits conceded concedes
		declared declares observed observes remarked remarks argued argues
		claimed claims responded responds retorted retorts countered counters
		complained complains confirmed confirms agreed agrees acknowledged
		acknowledges cautioned cautions stressed stresses quipped quips joked
		jokes boasted boasts whispered whispers shouted shouts lamented laments
		concluded concludes suggested suggests predicted predicts`,
	// prepositions cannot come just before a subject.
	prepositions: `in on at by with from to of into onto over under about
		above below between among through during against without within
		across around behind beyond near toward towards upon despite amid
		amongst via per like unlike than for`,
	// notPeople are common words that end like nouns for people
	// ("-er", "-ent") but are not: "a number of officials said".
	notPeople: `number numbers order orders matter matters paper papers letter
		letters center centre water border borders power powers computer
		computers error errors sector sectors factor factors manner corner
		chapter quarter quarters summer winter together however rather
		whether either neither never ever further former later latter after
		under over enter offer cover answer answers super fever cancer
		weather shelter character register event events content extent
		incident incidents element elements percent accident accidents
		consent intent component components patent talent present moment
		recent current different independent urgent ancient frequent absent
		apparent efficient sufficient silent violent prominent permanent
		excellent evident consistent confident transparent significant
		important relevant pleasant distant constant elegant arrogant
		brilliant abundant instant restaurant vacant remainder reminder
		wonder thunder chamber december october november september another
		other others monster`,
}
