package workflow

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"utlamnande/processor/internal/date"
	"utlamnande/processor/internal/yamldoc"
)

// RulePromptness is the rule of handling times: a request for a public document is handled
// promptly (skyndsamt, 2 kap. 15 och 16 §§ TF), counted in Swedish working days.
const RulePromptness = "skyndsamhet"

// Measure is one handling time a type declares (handläggningstid): from one step to
// another, in Swedish working days, with a target and a limit after which the case must
// record that the requester was told of the delay, when and why.
type Measure struct {
	Name   string // namn, e.g. "utlämnande"
	From   string // från: a step
	To     string // till: a step
	Target int    // mål: working days; a warning when the wait is longer
	// Delay (dröjsmål): working days from which the note at Note is required; 0: none.
	Delay int
	Note  string // anteckning: path of a grupp {underrättad, skäl}
	node  *yaml.Node
}

// Wait is a measure applied to a case: how many working days it has waited, or waited.
type Wait struct {
	Measure *Measure
	From    date.Date
	To      date.Date // the end step's date, or today while it is not recorded
	Open    bool      // the end step is not recorded
	Days    int       // working days after From up to and including To
}

// Overdue reports whether the wait is longer than the measure's target.
func (w Wait) Overdue() bool { return w.Days > w.Measure.Target }

// Late reports whether the wait has reached the limit at which the delay note is required.
func (w Wait) Late() bool { return w.Measure.Delay > 0 && w.Days >= w.Measure.Delay }

func parseMeasures(d *yamldoc.Decoder, n *yaml.Node) []*Measure {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.Errorf(n, RuleTypeFile, "handläggningstid är en lista: - {namn: utlämnande, från: mottagen, till: utlämnad, mål: 1}", "handläggningstid ska vara en lista")
		return nil
	}
	var out []*Measure
	for _, item := range n.Content {
		pairs, ok := d.Mapping(item, "en handläggningstid")
		if !ok {
			continue
		}
		d.Known(pairs, "en handläggningstid", []string{"namn", "från", "till", "mål", "dröjsmål", "anteckning"})
		m := &Measure{node: item}
		m.Name, _ = d.String(yamldoc.Lookup(pairs, "namn"), "namn")
		m.From, _ = d.String(yamldoc.Lookup(pairs, "från"), "från")
		m.To, _ = d.String(yamldoc.Lookup(pairs, "till"), "till")
		if tn := yamldoc.Lookup(pairs, "mål"); tn != nil {
			m.Target, _ = d.Int(tn, "mål")
		}
		if dn := yamldoc.Lookup(pairs, "dröjsmål"); dn != nil {
			m.Delay, _ = d.Int(dn, "dröjsmål")
		}
		m.Note, _ = d.String(yamldoc.Lookup(pairs, "anteckning"), "anteckning")
		if m.Name == "" || m.From == "" || m.To == "" {
			d.Errorf(item, RuleTypeFile, "t.ex. {namn: utlämnande, från: mottagen, till: utlämnad, mål: 1, dröjsmål: 3, anteckning: dröjsmål}",
				"handläggningstiden behöver namn, från och till")
			continue
		}
		if m.Delay > 0 && m.Note == "" {
			d.Errorf(item, RuleTypeFile, "anteckning anger fältet (en grupp med underrättad och skäl) som ska fyllas i vid dröjsmål", "handläggningstiden %q har dröjsmål men ingen anteckning", m.Name)
		}
		if m.Delay > 0 && m.Delay <= m.Target {
			d.Errorf(item, RuleTypeFile, "dröjsmål räknas efter målet: ett större antal arbetsdagar än mål", "handläggningstiden %q har dröjsmål %d som inte är efter målet %d", m.Name, m.Delay, m.Target)
		}
		out = append(out, m)
	}
	return out
}

// checkMeasures checks that a type's handling times name its steps and a note group.
func (t *Type) checkMeasures(d *yamldoc.Decoder) {
	for _, m := range t.Measures {
		for _, s := range []string{m.From, m.To} {
			if _, ok := t.Step(s); !ok {
				d.Errorf(m.node, RuleTypeFile, "från och till anger steg i ärendetypen: "+strings.Join(t.StepNames(), ", "), "handläggningstiden %q hänvisar till steget %q som inte finns", m.Name, s)
			}
		}
		if m.Note == "" {
			continue
		}
		f, ok := t.byPath[m.Note]
		if !ok || f.Kind != KindGroup {
			d.Errorf(m.node, RuleTypeFile, "deklarera t.ex. dröjsmål: {typ: grupp, fält: {underrättad: {typ: datum}, skäl: {typ: text}}}", "handläggningstidens anteckning %q är ingen grupp i ärendetypen", m.Note)
			continue
		}
		for _, k := range []string{"underrättad", "skäl"} {
			if _, ok := t.byPath[m.Note+"."+k]; !ok {
				d.Errorf(m.node, RuleTypeFile, "gruppen ska ha fälten underrättad (datum) och skäl (text)", "anteckningen %q saknar fältet %s", m.Note, k)
			}
		}
	}
}

// Waits applies the type's handling times to the case on today: each measure whose start
// step is recorded, with the working days waited until its end step (or today).
func (r *Record) Waits(today date.Date) []Wait {
	var out []Wait
	for _, m := range r.Type.Measures {
		from, ok := r.Recorded(m.From)
		if !ok || from.Date.IsZero() {
			continue
		}
		w := Wait{Measure: m, From: from.Date, To: today, Open: true}
		if to, ok := r.Recorded(m.To); ok && !to.Date.IsZero() {
			w.To, w.Open = to.Date, false
		}
		if w.Open && today.IsZero() {
			continue
		}
		w.Days = w.To.WorkdaysSince(w.From)
		out = append(out, w)
	}
	return out
}

// promptness checks the case's handling times: a warning when a target is passed; from the
// delay limit, a warning while the case is open and an error on the end step, until the case
// records that the requester was told of the delay, when and why
// (JO: normally the same day, a day or a few when an assessment is needed; workload is no
// excuse, JO 6813-20).
func (k *checker) promptness() {
	for _, w := range k.rec.Waits(k.env.Today) {
		m := w.Measure
		at := k.c.Root
		if rs, ok := k.rec.Recorded(m.From); ok {
			at = rs.KeyN
		}
		if to, ok := k.rec.Recorded(m.To); ok {
			at = to.KeyN
		}
		span := fmt.Sprintf("%s (%s) till %s", m.From, w.From, w.To)
		if w.Open {
			span = fmt.Sprintf("%s (%s) till i dag (%s)", m.From, w.From, w.To)
		}
		noted := m.Note != "" && k.noted(m.Note)
		switch {
		case w.Late() && !noted && !w.Open && k.rec.Last().Step.Name == m.To:
			// Recording the end step late without the note is refused: the release (or
			// decision) says the requester was told of the delay, when and why. Once later
			// steps are recorded it is history (a case released before the rule existed
			// can still be closed and purged): then a warning, below.
			k.d.Errorf(at, RulePromptness, fmt.Sprintf("underrätta frågeställaren om dröjsmålet och skälet, och skriv %s: {underrättad: ÅÅÅÅ-MM-DD, skäl: \"...\"}; arbetsbörda är inget skäl (JO 6813-20)", m.Note),
				"handläggningstiden %s är %d %s från %s, och ärendet anger inte att frågeställaren har underrättats om dröjsmålet (2 kap. 15 och 16 §§ TF)", m.Name, w.Days, workdays(w.Days), span)
		case w.Late() && !noted && w.Open:
			// While the case is open: a warning each time it is checked, and status lists it
			// first, until the note is written.
			k.d.Warnf(at, RulePromptness, fmt.Sprintf("underrätta frågeställaren om dröjsmålet och skälet nu, och skriv %s: {underrättad: ÅÅÅÅ-MM-DD, skäl: \"...\"}; utan det kan steget %s inte registreras; arbetsbörda är inget skäl (JO 6813-20)", m.Note, m.To),
				"handläggningstiden %s är %d %s från %s, och frågeställaren har inte underrättats om dröjsmålet (2 kap. 15 och 16 §§ TF)", m.Name, w.Days, workdays(w.Days), span)
		case w.Late() && !noted:
			k.d.Warnf(at, RulePromptness, "frågeställaren ska underrättas om ett dröjsmål och skälet (2 kap. 15 och 16 §§ TF)",
				"handläggningstiden %s var %d %s från %s, och ärendet anger inte att frågeställaren underrättades om dröjsmålet", m.Name, w.Days, workdays(w.Days), span)
		case w.Overdue():
			k.d.Warnf(at, RulePromptness, "en begäran om allmän handling handläggs skyndsamt: normalt samma dag, någon eller några dagar när prövningen kräver det (2 kap. 15 och 16 §§ TF; JO 4209-09)",
				"handläggningstiden %s är %d %s från %s; målet är %d", m.Name, w.Days, workdays(w.Days), span, m.Target)
		}
	}
}

// noted reports whether the delay note at path says when the requester was told and why.
func (k *checker) noted(path string) bool {
	return !k.rec.Values[path+".underrättad"].Empty() && !k.rec.Values[path+".skäl"].Empty()
}

func workdays(n int) string {
	if n == 1 {
		return "arbetsdag"
	}
	return "arbetsdagar"
}
