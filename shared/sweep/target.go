package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/aimsaudit/aimsaudit/shared/badinput"
)

// Target is one AWS account to sweep, as AIMS_TARGETS lists it. RoleName,
// when set, is assumed in the account through STS; otherwise the function's
// own credentials are used, which suits its home account.
type Target struct {
	Account  string   `json:"account"`
	Regions  []string `json:"regions,omitempty"`
	RoleName string   `json:"roleName,omitempty"`
}

// RoleARN is the role to assume in the target, or "" for none.
func (t Target) RoleARN() string {
	if t.RoleName == "" {
		return ""
	}
	return "arn:aws:iam::" + t.Account + ":role/" + t.RoleName
}

// key tells targets apart for caching credentials.
func (t Target) key() string { return t.Account + "/" + t.RoleName }

// ParseTargets reads AIMS_TARGETS. Empty means the home account and region
// alone; a target without regions gets the home region.
func ParseTargets(raw string, home Target) ([]Target, error) {
	if raw == "" {
		return []Target{home}, nil
	}
	var ts []Target
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ts); err != nil {
		return nil, badinput.Errorf("AIMS_TARGETS", 0, fieldOf(err),
			"want a JSON list of {account, regions, roleName}: %w", err)
	}
	for i := range ts {
		if !validAccount(ts[i].Account) {
			return nil, badinput.Errorf("AIMS_TARGETS", 0, fmt.Sprintf("[%d].account", i),
				"got %q, want a 12-digit account id", ts[i].Account)
		}
		if len(ts[i].Regions) == 0 {
			ts[i].Regions = home.Regions
		}
	}
	return ts, nil
}

func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
