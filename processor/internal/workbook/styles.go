package workbook

// Styles: what a cell looks like, as far as the review needs to know whether its text can be
// seen. A text is taken as hidden when its colour stands out from its background by a
// contrast ratio (WCAG's, of relative luminance) under minContrast – white on white is 1,
// white on a light grey fill 1.1; black on white is 21 and WCAG asks 4.5 of ordinary text –
// or when its font is smaller than minFontSize points. Colours are resolved as Excel does:
// rgb, theme (with the workbook's theme and Excel's swap of the first four), indexed (the
// workbook's palette or Excel's default one), automatic, each with its tint.

import (
	"archive/zip"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

const (
	minContrast = 1.5
	minFontSize = 4.0
)

// xcolor is a colour as SpreadsheetML writes it.
type xcolor struct {
	set     bool // an element said something (a font or fill without one uses the default)
	auto    bool
	rgb     string // ARGB or RGB hex, upper case
	theme   int    // -1 when none
	indexed int    // -1 when none
	tint    float64
}

// colorOf reads a <color>, <fgColor>, <bgColor> element's attributes.
func colorOf(attr func(string) (string, bool)) xcolor {
	c := xcolor{set: true, theme: -1, indexed: -1}
	if v, ok := attr("auto"); ok && xsdBool(v) {
		c.auto = true
	}
	if v, ok := attr("rgb"); ok {
		c.rgb = strings.ToUpper(strings.TrimSpace(v))
	}
	if v, ok := attr("theme"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			c.theme = n
		}
	}
	if v, ok := attr("indexed"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			c.indexed = n
		}
	}
	if v, ok := attr("tint"); ok {
		if t := parseFloat([]byte(v), 0); t >= -1 && t <= 1 {
			c.tint = t
		}
	}
	if c.rgb == "" && c.theme < 0 && c.indexed < 0 {
		c.auto = true // <color/>: automatic
	}
	return c
}

// runFont is the part of a font that decides whether text can be seen.
type runFont struct {
	color   xcolor
	size    float64
	sizeSet bool
}

func (f runFont) set() bool { return f.color.set || f.sizeSet }

// runFonts interns the fonts of rich text runs.
type runFonts struct {
	list []runFont
	ids  map[runFont]uint16
}

func newRunFonts() *runFonts { return &runFonts{ids: map[runFont]uint16{}} }

func (t *runFonts) id(f runFont) (uint16, error) {
	if id, ok := t.ids[f]; ok {
		return id, nil
	}
	if len(t.list) >= maxRunFonts {
		return 0, xmlError(fmt.Sprintf("texterna har fler än %d olika teckenformat", maxRunFonts))
	}
	id := uint16(len(t.list))
	t.list = append(t.list, f)
	t.ids[f] = id
	return id, nil
}

// fillSpec is a cell's fill: the colours that make its background.
type fillSpec struct {
	pattern  string // "none", "solid", another pattern, or "gradient"
	fg, bg   xcolor
	gradient []xcolor
}

type xfSpec struct{ numFmt, font, fill int }

// dxfSpec is a differential format (of a conditional format).
type dxfSpec struct {
	font      runFont
	fill      *fillSpec
	numFmt    string
	hasNumFmt bool
}

// styleSheet is what the review needs of xl/styles.xml and the theme.
type styleSheet struct {
	numFmts map[int]string
	fonts   []runFont
	fills   []fillSpec
	xfs     []xfSpec
	dxfs    []dxfSpec
	palette [66]rgb
	theme   [12]rgb
}

// maxStyles bounds each list of the styles part (Excel allows 64,000 cell formats).
const maxStyles = 1 << 17

type rgb struct{ r, g, b float64 } // 0..1

var (
	black = rgb{0, 0, 0}
	white = rgb{1, 1, 1}
)

func hexRGB(s string) (rgb, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 8 {
		s = s[2:] // alpha, which Excel ignores
	}
	if len(s) != 6 {
		return rgb{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return rgb{}, false
	}
	return rgb{float64(v>>16&255) / 255, float64(v>>8&255) / 255, float64(v&255) / 255}, true
}

// Excel's default palette of indexed colours; 64 is the system foreground, 65 the background.
var defaultPalette = func() (p [66]rgb) {
	hex := strings.Fields(`000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF
		000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF 800000 008000 000080 808000 800080 008080 C0C0C0 808080
		9999FF 993366 FFFFCC CCFFFF 660066 FF8080 0066CC CCCCFF 000080 FF00FF FFFF00 00FFFF 800080 800000 008080 0000FF
		00CCFF CCFFFF CCFFCC FFFF99 99CCFF FF99CC CC99FF FFCC99 3366FF 33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696
		003366 339966 003300 333300 993300 993366 333399 333333 000000 FFFFFF`)
	for i, h := range hex {
		p[i], _ = hexRGB(h)
	}
	return p
}()

// The Office theme's colours, in the order of the theme attribute: lt1, dk1, lt2, dk2,
// accent1–6, hlink, folHlink.
var defaultTheme = func() (t [12]rgb) {
	for i, h := range strings.Fields("FFFFFF 000000 E7E6E6 44546A 4472C4 ED7D31 A5A5A5 FFC000 5B9BD5 70AD47 0563C1 954F72") {
		t[i], _ = hexRGB(h)
	}
	return t
}()

// resolve returns the colour c shows, def when it is automatic or unset.
func (st *styleSheet) resolve(c xcolor, def rgb) rgb {
	var base rgb
	switch {
	case !c.set || c.auto:
		return def
	case c.rgb != "":
		v, ok := hexRGB(c.rgb)
		if !ok {
			return def
		}
		base = v
	case c.theme >= 0:
		if c.theme >= len(st.theme) {
			return def
		}
		base = st.theme[c.theme]
	case c.indexed >= 0:
		switch {
		case c.indexed == 64: // system foreground: the automatic colour
			return def
		case c.indexed < len(st.palette):
			base = st.palette[c.indexed]
		default:
			return def
		}
	default:
		return def
	}
	if c.tint != 0 {
		base = applyTint(base, c.tint)
	}
	return base
}

// applyTint lightens or darkens a colour as Excel does, on its HLS lightness.
func applyTint(c rgb, tint float64) rgb {
	h, l, s := toHLS(c)
	if tint < 0 {
		l *= 1 + tint
	} else {
		l = l*(1-tint) + tint
	}
	return fromHLS(h, l, s)
}

func toHLS(c rgb) (h, l, s float64) {
	mx, mn := max(c.r, c.g, c.b), min(c.r, c.g, c.b)
	l = (mx + mn) / 2
	if mx == mn {
		return 0, l, 0
	}
	d := mx - mn
	if l > 0.5 {
		s = d / (2 - mx - mn)
	} else {
		s = d / (mx + mn)
	}
	switch mx {
	case c.r:
		h = (c.g - c.b) / d
		if c.g < c.b {
			h += 6
		}
	case c.g:
		h = (c.b-c.r)/d + 2
	default:
		h = (c.r-c.g)/d + 4
	}
	return h / 6, l, s
}

func fromHLS(h, l, s float64) rgb {
	if s == 0 {
		return rgb{l, l, l}
	}
	var q float64
	if l < 0.5 {
		q = l * (1 + s)
	} else {
		q = l + s - l*s
	}
	p := 2*l - q
	hue := func(t float64) float64 {
		t -= math.Floor(t)
		switch {
		case t < 1.0/6:
			return p + (q-p)*6*t
		case t < 0.5:
			return q
		case t < 2.0/3:
			return p + (q-p)*(2.0/3-t)*6
		}
		return p
	}
	return rgb{hue(h + 1.0/3), hue(h), hue(h - 1.0/3)}
}

// contrast is WCAG's contrast ratio of two colours (1 to 21).
func contrast(a, b rgb) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c rgb) float64 {
	lin := func(v float64) float64 {
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// backgrounds returns the colours a fill shows text on (white without one). A cell fill's
// solid colour is its fgColor; a conditional format's (dxf) is its bgColor.
func (st *styleSheet) backgrounds(f *fillSpec, dxf bool) []rgb {
	switch {
	case f == nil || f.pattern == "none" || f.pattern == "":
		return []rgb{white}
	case f.pattern == "gradient":
		var out []rgb
		for _, c := range f.gradient {
			out = append(out, st.resolve(c, white))
		}
		if len(out) == 0 {
			return []rgb{white}
		}
		return out
	case f.pattern == "solid":
		c := f.fg
		if dxf && f.bg.set || !c.set {
			c = f.bg
		}
		if !c.set {
			return []rgb{black} // a solid fill without colours: Excel's automatic foreground
		}
		return []rgb{st.resolve(c, black)}
	}
	return []rgb{st.resolve(f.fg, black), st.resolve(f.bg, white)}
}

// unreadable tells whether text of colour c cannot be told from every one of bgs.
func unreadable(c rgb, bgs []rgb) bool {
	for _, bg := range bgs {
		if contrast(c, bg) >= minContrast {
			return false
		}
	}
	return true
}

func (st *styleSheet) xf(i int) xfSpec {
	if i >= 0 && i < len(st.xfs) {
		return st.xfs[i]
	}
	return xfSpec{}
}

func (st *styleSheet) font(i int) runFont {
	if i >= 0 && i < len(st.fonts) {
		return st.fonts[i]
	}
	return runFont{}
}

func (st *styleSheet) fill(i int) *fillSpec {
	if i >= 0 && i < len(st.fills) {
		return &st.fills[i]
	}
	return nil
}

// fontSize returns a font's size in points (the workbook's default font's when unset).
func (st *styleSheet) fontSize(f runFont) float64 {
	if f.sizeSet {
		return f.size
	}
	if len(st.fonts) > 0 && st.fonts[0].sizeSet {
		return st.fonts[0].size
	}
	return 11
}

// formatCode returns the number format code of id: the workbook's own, or "" for the
// built-in ones (none of which hides a value).
func (st *styleSheet) formatCode(id int) string {
	return st.numFmts[id]
}

// readStyles reads xl/styles.xml (f may be nil: no styles) and the theme (nil: none),
// streaming: a styles part may have tens of thousands of formats.
func readStyles(f, theme *zip.File) (*styleSheet, error) {
	st := &styleSheet{numFmts: map[int]string{}, palette: defaultPalette, theme: defaultTheme}
	if theme != nil {
		if err := st.readTheme(theme); err != nil {
			return nil, fmt.Errorf("%s: %w", theme.Name, err)
		}
	}
	if f == nil {
		return st, nil
	}
	if f.UncompressedSize64 > MaxPart {
		return nil, fmt.Errorf("%s: %w", f.Name, errTooBig)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	defer rc.Close()
	if err := st.scan(rc); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return st, nil
}

func (st *styleSheet) scan(rc io.Reader) error {
	s := newScan(rc, 32<<10, MaxPart)
	if err := s.prolog(); err != nil {
		return err
	}
	var path []string // the open elements
	var custom []rgb  // the workbook's palette
	var curFill *fillSpec
	var curFont *runFont
	var curDxf *dxfSpec
	inPattern, inGradient := false, false
	has := func(suffix ...string) bool { // path ends with suffix
		if len(path) < len(suffix) {
			return false
		}
		for i, s := range suffix {
			if path[len(path)-len(suffix)+i] != s {
				return false
			}
		}
		return true
	}
	for {
		t, err := s.next(nil, 0)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := string(t.name)
		if t.kind == tokEnd {
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
			continue
		}
		attr := func(n string) (string, bool) { return tokenAttr(t.attrs, n) }
		num := func(n string) int {
			v, _ := attr(n)
			i, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return 0
			}
			return i
		}
		full := func(n int) error {
			if n >= maxStyles {
				return xmlError(fmt.Sprintf("formatmallarna har fler än %d poster av ett slag", maxStyles))
			}
			return nil
		}
		switch {
		case name == "numFmt" && has("numFmts"):
			code, _ := attr("formatCode")
			if err := full(len(st.numFmts)); err != nil {
				return err
			}
			st.numFmts[num("numFmtId")] = code
		case name == "font" && has("fonts"):
			if err := full(len(st.fonts)); err != nil {
				return err
			}
			st.fonts = append(st.fonts, runFont{})
			curFont = &st.fonts[len(st.fonts)-1]
		case name == "fill" && has("fills"):
			if err := full(len(st.fills)); err != nil {
				return err
			}
			st.fills = append(st.fills, fillSpec{})
			curFill, inPattern, inGradient = &st.fills[len(st.fills)-1], false, false
		case name == "xf" && has("cellXfs"):
			if err := full(len(st.xfs)); err != nil {
				return err
			}
			st.xfs = append(st.xfs, xfSpec{num("numFmtId"), num("fontId"), num("fillId")})
		case name == "dxf" && has("dxfs"):
			if err := full(len(st.dxfs)); err != nil {
				return err
			}
			st.dxfs = append(st.dxfs, dxfSpec{})
			curDxf, curFont, curFill = &st.dxfs[len(st.dxfs)-1], nil, nil
		case name == "font" && has("dxf") && curDxf != nil:
			curFont = &curDxf.font
		case name == "fill" && has("dxf") && curDxf != nil:
			curDxf.fill = &fillSpec{}
			curFill, inPattern, inGradient = curDxf.fill, false, false
		case name == "numFmt" && has("dxf") && curDxf != nil:
			curDxf.numFmt, _ = attr("formatCode")
			curDxf.hasNumFmt = true
		case (name == "color" || name == "sz") && has("font") && curFont != nil:
			if name == "color" {
				curFont.color = colorOf(attr)
			} else if v, ok := attr("val"); ok {
				curFont.size, curFont.sizeSet = parseFloat([]byte(v), 0), true
			}
		case name == "patternFill" && has("fill") && curFill != nil:
			curFill.pattern, _ = attr("patternType")
			if curFill.pattern == "" && has("dxf", "fill") {
				curFill.pattern = "solid" // a dxf's fill is solid unless it says otherwise
			}
			inPattern = t.kind == tokStart
		case name == "gradientFill" && has("fill") && curFill != nil:
			curFill.pattern, inGradient = "gradient", t.kind == tokStart
		case (name == "fgColor" || name == "bgColor") && inPattern && has("patternFill") && curFill != nil:
			if name == "fgColor" {
				curFill.fg = colorOf(attr)
			} else {
				curFill.bg = colorOf(attr)
			}
		case name == "color" && inGradient && has("stop") && curFill != nil:
			if len(curFill.gradient) < 16 {
				curFill.gradient = append(curFill.gradient, colorOf(attr))
			}
		case name == "rgbColor" && has("indexedColors"):
			v, _ := attr("rgb")
			c, _ := hexRGB(v)
			if len(custom) < len(st.palette) {
				custom = append(custom, c)
			}
		}
		if t.kind == tokStart {
			path = append(path, name)
		}
	}
	copy(st.palette[:64], custom)
	return drain(rc, s.n, MaxPart)
}

// readTheme reads the colour scheme of a theme part.
func (st *styleSheet) readTheme(f *zip.File) error {
	root, err := readTree(f, MaxPart)
	if err != nil || root == nil {
		return err
	}
	order := map[string]int{"lt1": 0, "dk1": 1, "lt2": 2, "dk2": 3, "accent1": 4, "accent2": 5, "accent3": 6,
		"accent4": 7, "accent5": 8, "accent6": 9, "hlink": 10, "folHlink": 11}
	for _, scheme := range root.all("clrScheme") {
		for _, k := range scheme.kids {
			i, ok := order[k.name]
			if !ok || len(k.kids) == 0 {
				continue
			}
			c := k.kids[0]
			v, _ := c.attr("val")
			if c.name == "sysClr" {
				v, _ = c.attr("lastClr")
			}
			if col, ok := hexRGB(v); ok {
				st.theme[i] = col
			}
		}
		break
	}
	return nil
}
