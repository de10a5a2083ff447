package exposure

import "fmt"

// Outcome is the overall verdict on a resource.
type Outcome string

// Outcomes of CONTRACTS.md.
const (
	Public        Outcome = "public"
	NotPublic     Outcome = "not_public"
	Indeterminate Outcome = "indeterminate"
)

// Access is what a latent grant would let everyone do once unmasked.
type Access struct {
	Read  bool `json:"read"`
	Write bool `json:"write"`
	List  bool `json:"list"`
}

// Verdict is the engine's judgement, in the output shape of CONTRACTS.md.
// A nil flag is one that depends on an unknown signal.
type Verdict struct {
	Resource     string   `json:"resource"`
	Kind         string   `json:"kind"`
	Verdict      Outcome  `json:"verdict"`
	Read         *bool    `json:"read"`
	Write        *bool    `json:"write"`
	List         *bool    `json:"list"`
	Latent       bool     `json:"latent"`
	LatentAccess *Access  `json:"latentAccess"`
	Network      *string  `json:"network"`
	Reasons      []string `json:"reasons"`
}

// tally gathers every way to the resource (an ACL, a policy, an access
// point, a container level) and what each gives everyone now, once
// unmasked, or possibly, when a signal is unknown.
type tally struct {
	public  access
	latent  access
	unsure  access
	reasons []string
	// hidden is set when an unknown signal was ruled out only because
	// known settings mask whatever it holds.
	hidden bool
}

func (t *tally) note(format string, args ...any) {
	t.reasons = append(t.reasons, fmt.Sprintf(format, args...))
}

// grant records a known grant to everyone, which the mask hides now, does
// not hide, or may hide.
func (t *tally) grant(g access, m mask, what string) {
	if !g.any {
		return
	}
	switch m.state {
	case no:
		t.public.add(g)
		t.note("%s: everyone may %s", what, g.describe())
	case yes:
		t.latent.add(g)
		t.note("%s, masked now by %s; turning that off would let everyone %s",
			what, m.describeBy(), g.describe())
	default:
		t.unsure.add(g)
		t.note("%s; whether it is masked is unknown (%s)", what, m.describeUnsure())
	}
}

// unknownGrant records a signal that could not be read and could grant the
// possible access, unless known settings mask whatever it holds.
func (t *tally) unknownGrant(possible access, m mask, what, fix string) {
	if !possible.any {
		return
	}
	if m.state == yes {
		t.hidden = true
		t.note("%s, but %s masks any public grant it holds", what, m.describeBy())
		return
	}
	t.unsure.add(possible)
	t.note("%s and could grant everyone %s; %s", what, possible.describe(), fix)
}

// verdict turns the tally into the output: public beats unknown, unknown
// beats not public. Flags an unknown could still set are null. clean is the
// reason given when nothing grants everyone anything, stored or live.
func (t *tally) verdict(resource, kind, clean string) Verdict {
	if !t.public.any && !t.unsure.any && !t.latent.any && !t.hidden {
		t.note("%s", clean)
	}
	v := Verdict{Resource: resource, Kind: kind, Reasons: t.reasons}
	switch {
	case t.public.any:
		v.Verdict = Public
	case t.unsure.any:
		v.Verdict = Indeterminate
	default:
		v.Verdict = NotPublic
	}
	v.Read = flag(t.public.read, t.unsure.read)
	v.Write = flag(t.public.write, t.unsure.write)
	v.List = flag(t.public.list, t.unsure.list)
	if v.Verdict != Public && t.latent.any {
		v.Latent = true
		v.LatentAccess = &Access{Read: t.latent.read, Write: t.latent.write, List: t.latent.list}
	}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	return v
}

func flag(known, possible bool) *bool {
	if known {
		return ptr(true)
	}
	if possible {
		return nil
	}
	return ptr(false)
}

func ptr[T any](v T) *T { return &v }
