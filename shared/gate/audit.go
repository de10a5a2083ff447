package gate

import (
	"context"
	"fmt"
	"path"
	"time"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// audit is one judgement of one package: what was collected, and the
// evidence keys each finding cites.
type audit struct {
	gate *Gate
	run  *evidence.Run
	pkg  *modelregistry.Package
	at   time.Time

	reg     *register.Register
	systems []*register.System
	system  *register.System // set when exactly one system lists the group

	pkgURI  string
	docURIs map[string]string // register document location → evidence URI

	// err is the first failure of the machinery itself (not of the audited
	// package); it aborts the run so the event is retried.
	err error
}

// collect reads the package's register entries and keeps what it read as
// evidence before any check runs.
func (a *audit) collect(ctx context.Context) error {
	uri, err := a.run.PutJSON(ctx, "model-package.json", a.pkg.Raw)
	if err != nil {
		return fmt.Errorf("keep model package: %w", err)
	}
	a.pkgURI = uri
	a.reg, err = register.Load(ctx, a.gate.Register)
	if err != nil {
		return err
	}
	a.systems = a.reg.SystemsForGroup(a.pkg.Group)
	if len(a.systems) == 1 {
		a.system = a.systems[0]
	}
	a.docURIs = map[string]string{}
	return nil
}

func (a *audit) checks(ctx context.Context) []findings.Finding {
	fs := []findings.Finding{a.systemFound(ctx)}
	fs = append(fs, a.assessmentChecks(ctx)...)
	if a.system != nil {
		fs = append(fs, a.evaluationChecks(ctx)...)
	}
	return fs
}

func (a *audit) systemID() string {
	if a.system == nil {
		return ""
	}
	return a.system.ID
}

// finding builds a finding on the package, citing the package's evidence
// and any further evidence given.
func (a *audit) finding(check, qualifier string, status findings.Status, observed, expected any,
	reason string, evidence ...string) findings.Finding {
	f := findings.New(check, a.pkg.ARN, qualifier, a.systemID(), status, a.at)
	f.Observed, f.Expected, f.Reason = observed, expected, reason
	f.Evidence = append([]string{a.pkgURI}, nonEmpty(evidence)...)
	return f
}

// keepDocument stores a register document as evidence once per run and
// returns its evidence URI.
func (a *audit) keepDocument(ctx context.Context, doc any) string {
	loc := a.reg.LocationOf(doc)
	if uri, ok := a.docURIs[loc]; ok || loc == "" {
		return uri
	}
	uri, err := a.run.PutBytes(ctx, "register/"+path.Base(loc), "application/json", a.reg.Raw[loc])
	if err != nil {
		a.fail(fmt.Errorf("keep register document %s: %w", loc, err))
		return ""
	}
	a.docURIs[loc] = uri
	return uri
}

func (a *audit) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

func (a *audit) systemFound(ctx context.Context) findings.Finding {
	ids := make([]string, len(a.systems))
	docs := make([]string, len(a.systems))
	for i, s := range a.systems {
		ids[i] = s.ID
		docs[i] = a.keepDocument(ctx, s)
	}
	observed := map[string]any{"modelPackageGroup": a.pkg.Group, "systems": ids}
	expected := map[string]any{"systems": 1}
	switch len(a.systems) {
	case 1:
		return a.finding("register.system-found", "", findings.Pass, observed, expected, "", docs...)
	case 0:
		return a.finding("register.system-found", "", findings.Fail, observed, expected,
			fmt.Sprintf("no system of the register lists model package group %q", a.pkg.Group))
	default:
		return a.finding("register.system-found", "", findings.Fail, observed, expected,
			fmt.Sprintf("%d systems list model package group %q; exactly one must", len(ids), a.pkg.Group),
			docs...)
	}
}

func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
