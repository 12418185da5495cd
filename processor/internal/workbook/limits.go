package workbook

// Resource limits of the review workbook's readers (ReadSheet, ReadReview, PartTexts), checked
// while the parts stream from the zip: a hostile file (a zip bomb, a table of millions of
// strings, elements nested thousands deep) is refused when the limit is reached, before it has
// cost more time or memory than a large real workbook does. A 100,000-row e-mail log is a
// worksheet of about 30 MiB and a string table of a few MiB; Excel's own limits are below
// every one of these.
//
// What is refused is an *Error naming the part, in Swedish (validate reports it as a
// granskningsbok-form finding). Every part that ReadReview accepts, PartTexts then reads to
// its end: their limits are the same.
const (
	// MaxSheetPart is the most a worksheet's XML may unpack to.
	MaxSheetPart = 256 << 20
	// MaxSharedStringsPart is the most the shared string table may unpack to.
	MaxSharedStringsPart = 64 << 20
	// MaxPart is the most any other part may unpack to: styles, theme, comments, drawings,
	// document properties, relationships. Real ones are kilobytes.
	MaxPart = 32 << 20
	// MaxSharedStrings is the most items the shared string table may have (each costs memory
	// however short: 2 Mi items are ~50 MiB of index; a 100,000-row log has a few hundred
	// thousand).
	MaxSharedStrings = 2 << 20
	// MaxSharedText is the most text all shared strings may hold together, decoded (the
	// table's memory: a 100,000-row log has a few MiB).
	MaxSharedText = 32 << 20
	// MaxDepth is the deepest elements may nest in any part (a worksheet needs 7 levels,
	// a drawing or chart 20 or so).
	MaxDepth = 64
	// MaxCellChars is the longest text one cell (or shared string) may hold: Excel's limit,
	// in UTF-16 code units as Excel counts.
	MaxCellChars = 32767
	// MaxParts is the most entries the package (zip) may have.
	MaxParts = 10000
)

// Limits of the reader's own bookkeeping.
const (
	// maxCellRaw bounds the text kept for one value while it is read, before Excel's
	// _xHHHH_ escapes are decoded (7 bytes each): past it the value is surely longer than
	// MaxCellChars.
	maxCellRaw = 7 * MaxCellChars
	// maxTailNodes and maxTailText bound what is kept of a worksheet after its cells (data
	// validations, conditional formats, hyperlinks, header and footer, extensions).
	maxTailNodes = 100000
	maxTailText  = 16 << 20
	// maxTreeNodes and maxTreeText bound a small part read as a tree (a drawing, a VML part).
	maxTreeNodes = 200000
	maxTreeText  = 16 << 20
	// maxRunFonts is the most distinct fonts of rich text runs (colour and size) a workbook's
	// texts may use; maxRuns the most runs with an explicit colour or size that are kept.
	maxRunFonts = 4096
	maxRuns     = 1 << 20
	// maxCondRules is the most conditional-format rules and data validations looked at.
	maxCondRules = 10000
)
