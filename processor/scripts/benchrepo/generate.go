package main

import (
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

type genOptions struct {
	cases, commits, merges int
	seed                   int64
	src, dir               string
	worktree               bool
	verbose                bool
}

func runGenerate(args []string) error {
	var o genOptions
	fl := flag.NewFlagSet("benchrepo", flag.ContinueOnError)
	fl.IntVar(&o.cases, "cases", 2000, "number of cases at HEAD")
	fl.IntVar(&o.commits, "commits", 20000, "number of commits, merges and the first commit included")
	fl.IntVar(&o.merges, "merges", 0, "number of approvals made on a side branch and merged with --no-ff (2 commits each)")
	fl.Int64Var(&o.seed, "seed", 1, "random seed")
	fl.StringVar(&o.src, "src", "", "folder holding installningar.yaml and templates/ (default: the folder holding go.mod)")
	fl.BoolVar(&o.worktree, "worktree", true, "check out the work tree (false: only .git, no index)")
	fl.BoolVar(&o.verbose, "v", false, "print the time each phase takes")
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "användning: benchrepo [flaggor] MAPP\n           benchrepo log [-rev REV] MAPP ÄRENDEMAPP")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return flag.ErrHelp
	}
	o.dir = fl.Arg(0)
	if o.src == "" {
		root, err := findRoot()
		if err != nil {
			return err
		}
		o.src = root
	}
	return generate(o)
}

// person is one entry of personer: in installningar.yaml.
type person struct {
	Sig   string   `yaml:"signatur"`
	Name  string   `yaml:"namn"`
	Email string   `yaml:"e-post"`
	Roles []string `yaml:"roller"`
}

func loadPeople(src string) (registrars, reviewers []person, err error) {
	data, err := os.ReadFile(filepath.Join(src, "installningar.yaml"))
	if err != nil {
		return nil, nil, err
	}
	var s struct {
		People []person `yaml:"personer"`
	}
	if err := yaml.Unmarshal(data, &s); err != nil {
		return nil, nil, fmt.Errorf("installningar.yaml: %w", err)
	}
	for _, p := range s.People {
		if slices.Contains(p.Roles, "registrator") {
			registrars = append(registrars, p)
		}
		if slices.Contains(p.Roles, "granskare") {
			reviewers = append(reviewers, p)
		}
	}
	if len(registrars) == 0 || len(reviewers) == 0 {
		return nil, nil, errors.New("installningar.yaml: behöver minst en registrator och en granskare")
	}
	return registrars, reviewers, nil
}

// stepNames are the steps of an e-postlogg case in order; approvalStep is the one a
// reviewer approves.
var stepNames = []string{
	"mottagen", "kvalitetsgranskad", "medarbetare_informerad", "logg_beställd", "bevakning",
	"export_mottagen", "privat_granskad", "sekretessprövad", "pdf_skapad", "utlämnad",
	"avslutad", "gallrad",
}

const approvalStep = 7

var (
	firstNames = []string{"Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per", "Åsa", "Örjan", "Lena", "Mikael", "Ingrid", "Björn"}
	lastNames  = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Pettersson", "Jönsson", "Lindström", "Åberg", "Öberg", "Holm"}
	provisions = []string{"25 kap. 1 § OSL", "25 kap. 4 § OSL", "39 kap. 2 § OSL", "21 kap. 3 § OSL", "18 kap. 8 § OSL", "OSL 39:3 tredje stycket"}
)

// caseState is one case as the generator advances it.
type caseState struct {
	id        string // assigned when the first step is committed
	n         int    // number in opening order, from 1
	handler   person // registrar who signs the steps
	reviewer  person // approves sekretessprövad
	employee  string
	scopeFrom time.Time
	steps     []string // rendered step blocks
	notes     []string
	branched  bool    // sekretessprövad is approved on a side branch
	open      float64 // when the first step comes, as a fraction of the whole period
	rnd       uint32
}

// event is one main-branch commit: the next step of a case, or a note in it.
type event struct {
	at   float64
	c    int
	note bool
}

type generator struct {
	o          genOptions
	rng        *rand.Rand
	pack       *packWriter
	main       *branch
	rootFiles  []entry // installningar.yaml and templates
	registrars []person
	reviewers  []person
	cases      []*caseState
	now        time.Time
	step       time.Duration
	perYear    map[int]int
	multiYear  bool
	last       time.Time // end of the last phase, for -v
}

func generate(o genOptions) error {
	if o.cases < 1 {
		return errors.New("-cases ska vara minst 1")
	}
	if o.merges < 0 {
		return errors.New("-merges får inte vara negativt")
	}
	events := o.commits - 1 - 2*o.merges
	if events < o.cases {
		return fmt.Errorf("för få incheckningar: %d ärenden och %d sammanslagningar kräver minst %d", o.cases, o.merges, o.cases+1+2*o.merges)
	}
	registrars, reviewers, err := loadPeople(o.src)
	if err != nil {
		return err
	}
	if entries, err := os.ReadDir(o.dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s finns och är inte tom", o.dir)
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return err
	}
	g := &generator{
		last: time.Now(),
		o:    o, rng: rand.New(rand.NewSource(o.seed)), registrars: registrars, reviewers: reviewers,
		perYear: map[int]int{}, multiYear: o.cases > 9999,
	}
	evs, err := g.plan(events)
	if err != nil {
		return err
	}
	start := time.Date(2026, 1, 2, 8, 0, 0, 0, time.FixedZone("", 3600))
	if g.multiYear {
		start = time.Date(2020, 1, 2, 8, 0, 0, 0, time.FixedZone("", 3600))
	}
	end := time.Date(2026, 12, 30, 17, 0, 0, 0, time.FixedZone("", 3600))
	g.now = start
	g.step = end.Sub(start) / time.Duration(o.commits)
	if g.step < 2*time.Second {
		g.step = 2 * time.Second
	}

	if err := git(o.dir, nil, nil, "-c", "init.defaultBranch=main", "init", "-q"); err != nil {
		return err
	}
	if g.pack, err = newPackWriter(filepath.Join(o.dir, ".git")); err != nil {
		return err
	}
	if err := g.write(evs); err != nil {
		return err
	}
	if err := g.pack.finish(); err != nil {
		return err
	}
	ref := filepath.Join(o.dir, ".git", "refs", "heads", "main")
	if err := os.WriteFile(ref, []byte(g.main.tip.String()+"\n"), 0o644); err != nil {
		return err
	}
	g.phase("objects")
	// Like a repository after gc: one packfile with deltas found by repack, a commit-graph.
	steps := [][]string{
		{"repack", "-a", "-d", "-f", "-q", "--window=10", "--depth=50"},
		{"commit-graph", "write", "--reachable"},
	}
	if o.worktree {
		steps = append(steps, []string{"reset", "-q", "--hard", "main"})
	}
	for _, s := range steps {
		if err := git(o.dir, nil, nil, s...); err != nil {
			return err
		}
		g.phase(s[0])
	}
	return nil
}

// phase reports the time since the last phase when -v is given.
func (g *generator) phase(name string) {
	if g.o.verbose {
		fmt.Fprintf(os.Stderr, "%-12s %6.2f s\n", name, time.Since(g.last).Seconds())
	}
	g.last = time.Now()
}

// plan decides how many steps each case gets, which approvals are merged from a side
// branch, and the order of all main-branch commits.
func (g *generator) plan(n int) ([]event, error) {
	o := g.o
	k := make([]int, o.cases)
	var open []int
	for i := range k {
		k[i] = 1
		open = append(open, i)
	}
	left := n - o.cases
	// The cases whose approval is merged from a side branch must reach the approval step.
	branched := map[int]bool{}
	if o.merges > 0 {
		if o.merges > o.cases || o.merges*approvalStep > left {
			return nil, fmt.Errorf("för få incheckningar eller ärenden för %d sammanslagningar", o.merges)
		}
		for _, i := range g.rng.Perm(o.cases)[:o.merges] {
			branched[i] = true
			k[i] += approvalStep
			left -= approvalStep
		}
	}
	var notes []int
	for left > 0 && len(open) > 0 {
		j := g.rng.Intn(len(open))
		i := open[j]
		k[i]++
		if k[i] == len(stepNames) {
			open[j] = open[len(open)-1]
			open = open[:len(open)-1]
		}
		left--
	}
	for ; left > 0; left-- {
		notes = append(notes, g.rng.Intn(o.cases))
	}
	var evs []event
	g.cases = make([]*caseState, o.cases)
	for i := range o.cases {
		c := &caseState{n: i + 1, rnd: g.rng.Uint32()}
		c.handler = g.registrars[g.rng.Intn(len(g.registrars))]
		for {
			c.reviewer = g.reviewers[g.rng.Intn(len(g.reviewers))]
			if c.reviewer.Sig != c.handler.Sig || len(g.reviewers) == 1 {
				break
			}
		}
		c.employee = firstNames[g.rng.Intn(len(firstNames))] + " " + lastNames[g.rng.Intn(len(lastNames))]
		g.cases[i] = c
		// Cases open one after the other and stay open for 1-6 % of the whole period:
		// with thousands of cases, tens to hundreds are open at once.
		c.open = (float64(i) + g.rng.Float64()) / float64(o.cases)
		span := 0.01 + 0.05*g.rng.Float64()
		for j := range k[i] {
			evs = append(evs, event{at: c.open + span*float64(j)/float64(len(stepNames)), c: i})
		}
		c.steps = make([]string, 0, k[i])
	}
	for _, i := range notes {
		evs = append(evs, event{at: g.cases[i].open + 1e-9 + 0.06*g.rng.Float64(), c: i, note: true})
	}
	// Stable: a case's first step comes before its notes at the same instant.
	slices.SortStableFunc(evs, func(a, b event) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	for i := range branched {
		g.cases[i].branched = true
	}
	return evs, nil
}

// pendingMerge is a side branch with a reviewer's approval, merged into main after due
// main-branch commits.
type pendingMerge struct {
	c    *caseState
	side *branch
	due  int
}

// branch is the state of a branch being written.
type branch struct {
	cases    *treeBuf
	casesID  oid
	casesOff int64 // offset of the cases tree in the pack, 0 before the first case
	tip      oid
}

func (g *generator) write(evs []event) error {
	if err := g.first(); err != nil {
		return err
	}
	var pending []pendingMerge
	for n, ev := range evs {
		c := g.cases[ev.c]
		// Main does not touch a case while its approval is on a side branch.
		for i := 0; i < len(pending); i++ {
			if pending[i].c == c || pending[i].due <= n {
				if err := g.merge(pending[i]); err != nil {
					return err
				}
				pending = slices.Delete(pending, i, i+1)
				i--
			}
		}
		g.tick()
		if c.id == "" {
			id, err := g.newID()
			if err != nil {
				return err
			}
			c.id = id
		}
		subject := ""
		if ev.note {
			c.notes = append(c.notes, fmt.Sprintf("- %s, %s (fakta): Kontakt med frågeställaren om ärendets gång.", g.day(0), c.handler.Sig))
			subject = c.id + ": anteckning"
		} else {
			j := len(c.steps)
			c.steps = append(c.steps, g.stepBlock(c, j, !c.branched))
			subject = c.id + ": " + stepNames[j]
		}
		if err := g.commit(g.main, c.handler, subject, c, nil); err != nil {
			return err
		}
		if !ev.note && len(c.steps) == approvalStep+1 && c.branched {
			g.tick()
			c.steps[approvalStep] += approvalBlock(g.day(0), c.reviewer.Sig)
			side := &branch{cases: g.main.cases.clone(), casesID: g.main.casesID, casesOff: g.main.casesOff, tip: g.main.tip}
			if err := g.commit(side, c.reviewer, c.id+": sekretessprövning godkänd", c, nil); err != nil {
				return err
			}
			pending = append(pending, pendingMerge{c: c, side: side, due: n + 1 + g.rng.Intn(3)})
		}
	}
	for _, p := range pending {
		if err := g.merge(p); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) merge(p pendingMerge) error {
	g.tick()
	return g.commit(g.main, p.c.reviewer, "Merge branch 'granskning/"+p.c.id+"'", p.c, &p.side.tip)
}

func (g *generator) newID() (string, error) {
	year := 2026
	if g.multiYear {
		year = g.now.Year()
	}
	g.perYear[year]++
	if g.perYear[year] > 9999 {
		return "", fmt.Errorf("fler än 9999 ärenden år %d: för många ärenden", year)
	}
	return fmt.Sprintf("%d-%04d", year, g.perYear[year]), nil
}

// tick advances the clock to the next commit.
func (g *generator) tick() time.Time {
	jitter := time.Duration(g.rng.Int63n(int64(g.step)/2 + 1))
	g.now = g.now.Add(g.step*3/4 + jitter)
	return g.now
}

func (g *generator) day(addDays int) string {
	return g.now.AddDate(0, 0, addDays).Format(time.DateOnly)
}

// first writes the commit that adds settings and templates.
func (g *generator) first() error {
	g.tick()
	files := map[string]oid{}
	err := filepath.WalkDir(g.o.src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(g.o.src, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "." || rel == "templates" || strings.HasPrefix(rel, "templates/") {
				return nil
			}
			return filepath.SkipDir
		}
		if rel != "installningar.yaml" && !strings.HasPrefix(rel, "templates/") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[rel], _, err = g.pack.put(objBlob, data, 0, nil)
		return err
	})
	if err != nil {
		return err
	}
	root, err := g.putTree(files)
	if err != nil {
		return err
	}
	g.rootFiles = root
	g.main = &branch{cases: &treeBuf{}}
	rootID, _, err := g.pack.put(objTree, encodeTree(slices.Clone(root)), 0, nil)
	if err != nil {
		return err
	}
	id, err := g.putCommit(rootID, nil, g.registrars[0], "Inställningar och mallar för ärendekatalogen")
	g.main.tip = id
	return err
}

// putTree stores the trees holding files (slash path -> blob) and returns the top one's entries.
func (g *generator) putTree(files map[string]oid) ([]entry, error) {
	sub := map[string]map[string]oid{}
	var entries []entry
	for path, id := range files {
		dir, rest, nested := strings.Cut(path, "/")
		if !nested {
			entries = append(entries, entry{mode: "100644", name: path, id: id})
			continue
		}
		if sub[dir] == nil {
			sub[dir] = map[string]oid{}
		}
		sub[dir][rest] = id
	}
	for dir, files := range sub {
		es, err := g.putTree(files)
		if err != nil {
			return nil, err
		}
		id, _, err := g.pack.put(objTree, encodeTree(es), 0, nil)
		if err != nil {
			return nil, err
		}
		entries = append(entries, entry{mode: "40000", name: dir, id: id})
	}
	slices.SortFunc(entries, treeCompare)
	return entries, nil
}

// commit writes a commit dated now on b that sets c's request.md; other is the second
// parent of a merge.
func (g *generator) commit(b *branch, p person, subject string, c *caseState, other *oid) error {
	blob, _, err := g.pack.put(objBlob, []byte(c.render()), 0, nil)
	if err != nil {
		return err
	}
	folder, _, err := g.pack.put(objTree, appendEntry(nil, entry{mode: "100644", name: "request.md", id: blob}), 0, nil)
	if err != nil {
		return err
	}
	if delta := b.cases.set(entry{mode: "40000", name: c.id, id: folder}); delta != nil {
		if b.casesID, b.casesOff, err = g.pack.put(objTree, b.cases.data, b.casesOff, delta); err != nil {
			return err
		}
	}
	root := append(slices.Clone(g.rootFiles), entry{mode: "40000", name: "cases", id: b.casesID})
	rootID, _, err := g.pack.put(objTree, encodeTree(root), 0, nil)
	if err != nil {
		return err
	}
	parents := []oid{b.tip}
	if other != nil {
		parents = append(parents, *other)
	}
	b.tip, err = g.putCommit(rootID, parents, p, subject)
	return err
}

func (g *generator) putCommit(rootID oid, parents []oid, p person, subject string) (oid, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", rootID)
	for _, par := range parents {
		fmt.Fprintf(&b, "parent %s\n", par)
	}
	sig := fmt.Sprintf("%s <%s> %d +0100\n", p.Name, p.Email, g.now.Unix())
	fmt.Fprintf(&b, "author %scommitter %s\n%s\n", sig, sig, subject)
	id, _, err := g.pack.put(objCommit, []byte(b.String()), 0, nil)
	return id, err
}

// stepBlock renders step j of c as its lines under steg:, dated today.
func (g *generator) stepBlock(c *caseState, j int, approved bool) string {
	var b strings.Builder
	name := stepNames[j]
	fmt.Fprintf(&b, "  %s:\n    datum: %s\n    av: %s\n", name, g.day(0), c.handler.Sig)
	r := int(c.rnd)
	switch name {
	case "kvalitetsgranskad":
		b.WriteString("    komplettering: nej\n")
	case "medarbetare_informerad":
		fmt.Fprintf(&b, "    anteckning: %s informerad per telefon.\n", c.employee)
	case "logg_beställd":
		b.WriteString("    beställd_från: m365.exchange@region.example\n")
	case "bevakning":
		fmt.Fprintf(&b, "    bevakas_till: %s\n", g.day(3))
	case "export_mottagen":
		sum := sha256.Sum256([]byte(c.id))
		fmt.Fprintf(&b, "    fil: meddelandesparning.csv\n    sha256: %x\n    rader: %d\n", sum, 10+r%400)
	case "privat_granskad":
		fmt.Fprintf(&b, "    antal_privata: %d\n", r%7)
	case "sekretessprövad":
		b.WriteString("    jurist_konsulterad: ja\n    bestämmelser:\n")
		for i := range 1 + r%4 {
			fmt.Fprintf(&b, "      %s: %d\n", provisions[(r+i)%len(provisions)], 1+(r>>(i+3))%5)
		}
		if approved {
			b.WriteString(approvalBlock(g.day(0), c.reviewer.Sig))
		}
	case "utlämnad":
		b.WriteString("    sätt: e-post\n    information_om_skriftligt_beslut: ja\n")
	case "avslutad":
		fmt.Fprintf(&b, "    gallras: %s\n", g.now.AddDate(0, 3, 0).Format(time.DateOnly))
	case "gallrad":
		b.WriteString("    beslut: DHP 1.2.3\n")
	}
	return b.String()
}

func approvalBlock(day, sig string) string {
	return "    godkänd:\n      datum: " + day + "\n      av: " + sig + "\n"
}

// render is the case's request.md.
func (c *caseState) render() string {
	var b strings.Builder
	b.Grow(2048)
	from := time.Date(2026, time.Month(1+c.rnd%12), 1, 0, 0, 0, 0, time.UTC)
	if y, err := strconv.Atoi(c.id[:4]); err == nil {
		from = from.AddDate(y-2026, 0, 0)
	}
	mail := strings.ToLower(strings.NewReplacer(" ", ".", "å", "a", "ä", "a", "ö", "o", "Å", "a", "Ä", "a", "Ö", "o").Replace(c.employee))
	fmt.Fprintf(&b, `---
ärende: %s
typ: e-postlogg
inkom_via: myndighetsbrevlådan
frågeställare:
  namn: ""
  kontakt: fragestallare%d@tidning.example
medarbetare:
  namn: %s
  brevlåda: %s@region.example
omfattning:
  mappar: [Inkorg, Skickat]
  från: %s
  till: %s
steg:
`, c.id, c.n, c.employee, mail, from.Format(time.DateOnly), from.AddDate(0, 1, -1).Format(time.DateOnly))
	for _, s := range c.steps {
		b.WriteString(s)
	}
	fmt.Fprintf(&b, `---

# Begäran om e-maillogg

## Begäran som den inkom

> Hej! Jag begär att få ta del av e-postloggen (avsändare, mottagare, ämnesrad och datum)
> för %s inkorg och skickat. Svara gärna till fragestallare%d@tidning.example.

## Anteckningar

`, c.employee+"s", c.n)
	for _, n := range c.notes {
		b.WriteString(n)
		b.WriteString("\n")
	}
	return b.String()
}

// git runs git in dir.
func git(dir string, stdin io.Reader, stdout io.Writer, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	cmd.Stdout = stdout
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
