package exposure

import "strings"

// tri is a three-valued truth: a setting is on, off, or unknown because the
// call that should have read it failed.
type tri int8

const (
	no tri = iota
	yes
	unknown
)

// mask says whether settings hide a stored grant from anonymous callers now,
// which settings do, and which settings could but are unknown.
type mask struct {
	state  tri
	by     []string
	unsure []string
}

// or combines masks: any setting that is on masks the grant, whatever the
// others are.
func or(ms ...mask) mask {
	var out mask
	for _, m := range ms {
		out.by = append(out.by, m.by...)
		out.unsure = append(out.unsure, m.unsure...)
	}
	switch {
	case len(out.by) > 0:
		out.state = yes
	case len(out.unsure) > 0:
		out.state = unknown
	}
	return out
}

func (m mask) describeBy() string     { return strings.Join(m.by, ", ") }
func (m mask) describeUnsure() string { return strings.Join(m.unsure, ", ") }
