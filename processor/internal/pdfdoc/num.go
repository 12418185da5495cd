package pdfdoc

import (
	"math"
	"strconv"
)

var pow10f = [...]float64{1, 10, 100, 1000, 10000}
var pow10i = [...]int64{1, 10, 100, 1000, 10000}

// appendNum writes v rounded to dec (0..4) decimals, without exponent or trailing zeros.
// NaN and infinities are written as 0.
func appendNum(b []byte, v float64, dec int) []byte {
	if v != v || math.IsInf(v, 0) {
		return append(b, '0')
	}
	q := math.Round(v * pow10f[dec])
	if q > 9e15 || q < -9e15 {
		return strconv.AppendFloat(b, math.Round(v), 'f', 0, 64)
	}
	return appendQ(b, int64(q), dec)
}

// appendQ writes q/10^dec compactly: "12", "12.5", "-0.25".
func appendQ(b []byte, q int64, dec int) []byte {
	if q < 0 {
		b = append(b, '-')
		q = -q
	}
	p := pow10i[dec]
	ip, fp := q/p, q%p
	b = strconv.AppendInt(b, ip, 10)
	if fp == 0 {
		return b
	}
	var tmp [4]byte
	for i := dec - 1; i >= 0; i-- {
		tmp[i] = '0' + byte(fp%10)
		fp /= 10
	}
	n := dec
	for tmp[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, tmp[:n]...)
}

func itoa(n int) string { return strconv.Itoa(n) }
