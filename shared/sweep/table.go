package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aimsaudit/aimsaudit/shared/exposure"
	"github.com/aimsaudit/aimsaudit/shared/findings"
)

// reasonWidth is how much of the first reason a table row shows.
const reasonWidth = 60

// WriteExposureTable prints the exposure findings among fs as one aligned
// row per resource: resource, verdict, read/write/list, latent and the
// first reason, shortened, with a count of the rest. Other findings are
// skipped. It reads the verdict from each finding's observed value, so it
// works on findings fresh from a sweep and on findings decoded from a
// result file alike.
func WriteExposureTable(w io.Writer, fs []findings.Finding) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tSTATUS\tVERDICT\tREAD\tWRITE\tLIST\tLATENT\tREASONS")
	for _, f := range fs {
		if f.Check != exposure.CheckS3Bucket && f.Check != exposure.CheckAzureContainer {
			continue
		}
		v, err := verdictOf(f)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Resource, f.Status, v.Verdict,
			flag(v.Read), flag(v.Write), flag(v.List), latent(v), shortReasons(v.Reasons))
	}
	return tw.Flush()
}

func verdictOf(f findings.Finding) (exposure.Verdict, error) {
	if v, ok := f.Observed.(exposure.Verdict); ok {
		return v, nil
	}
	var v exposure.Verdict
	b, err := json.Marshal(f.Observed)
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		return v, fmt.Errorf("finding %s: observed is not an exposure verdict: %w", f.ID, err)
	}
	return v, nil
}

func flag(b *bool) string {
	switch {
	case b == nil:
		return "?"
	case *b:
		return "yes"
	}
	return "-"
}

func latent(v exposure.Verdict) string {
	if !v.Latent {
		return "-"
	}
	if a := v.LatentAccess; a != nil {
		var parts []string
		for _, p := range []struct {
			on   bool
			name string
		}{{a.Read, "read"}, {a.Write, "write"}, {a.List, "list"}} {
			if p.on {
				parts = append(parts, p.name)
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, "+")
		}
	}
	return "yes"
}

func shortReasons(rs []string) string {
	if len(rs) == 0 {
		return ""
	}
	first := rs[0]
	if r := []rune(first); len(r) > reasonWidth {
		first = string(r[:reasonWidth-1]) + "…"
	}
	if len(rs) > 1 {
		first += fmt.Sprintf(" (+%d more)", len(rs)-1)
	}
	return first
}
