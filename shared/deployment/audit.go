package deployment

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/findings"
	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// audit is one judgement of one endpoint configuration: what was
// collected along the chain endpoint → config → model → package → card,
// and the evidence each finding cites.
type audit struct {
	check *Check
	run   *evidence.Run
	at    time.Time
	// prefix keeps one endpoint's evidence apart from the others' when
	// several endpoints share a run.
	prefix string

	endpoint     *sagemaker.DescribeEndpointOutput
	endpointName string
	endpointARN  string
	endpointURI  string
	configName   string
	pending      bool
	config       *sagemaker.DescribeEndpointConfigOutput
	configURI    string
	variants     []*variant
	monitoring   *monitoring

	models        map[string]*modelView
	packages      map[string]*packageView
	cards         map[string]*cardView
	cardIndex     []*cardView
	cardIndexDone bool
	cardIndexRead readResult
	cardIndexGap  string            // why a listed card could not be read; "" when all were
	readErrors    map[string]string // what could not be read, and why
	readErrorsURI string

	reg       *register.Register
	systems   []*register.System
	matchedBy string           // "endpoint" or "modelPackageGroup"
	system    *register.System // set when exactly one system claims the endpoint
	docURIs   map[string]string
}

func newAudit(c *Check, run *evidence.Run, at time.Time, ep *sagemaker.DescribeEndpointOutput,
	configName string, pending bool) *audit {
	return &audit{check: c, run: run, at: at, endpoint: ep,
		endpointName: aws.ToString(ep.EndpointName), endpointARN: aws.ToString(ep.EndpointArn),
		configName: configName, pending: pending,
		models: map[string]*modelView{}, packages: map[string]*packageView{},
		cards: map[string]*cardView{}, readErrors: map[string]string{},
		docURIs: map[string]string{}}
}

// putJSON keeps v as the evidence object name of this endpoint's audit.
func (a *audit) putJSON(ctx context.Context, name string, v any) (string, error) {
	return a.run.PutJSON(ctx, a.prefix+name, v)
}

// collect walks the chain and reads the register, keeping every answer as
// evidence before any check runs.
func (a *audit) collect(ctx context.Context) error {
	steps := []func(context.Context) error{a.collectEndpoint, a.collectModels, a.collectCards,
		a.collectMonitoring, a.collectRegister}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	if len(a.readErrors) == 0 {
		return nil
	}
	uri, err := a.putJSON(ctx, "read-errors.json", a.readErrors)
	if err != nil {
		return fmt.Errorf("keep read errors: %w", err)
	}
	a.readErrorsURI = uri
	return nil
}

// collectRegister finds the endpoint's system: the one whose
// sagemaker.endpoints lists it, or else the one whose model package groups
// hold the packages it serves.
func (a *audit) collectRegister(ctx context.Context) error {
	reg, err := register.Load(ctx, a.check.Register)
	if err != nil {
		return err
	}
	a.reg = reg
	a.systems, a.matchedBy = a.systemsForEndpoint(), "endpoint"
	if len(a.systems) == 0 {
		a.systems, a.matchedBy = a.systemsForGroups(), "modelPackageGroup"
	}
	if len(a.systems) == 1 {
		a.system = a.systems[0]
	}
	return a.keepDocuments(ctx)
}

// keepDocuments stores the register documents the checks cite: the
// systems found and the assessments the served packages name.
func (a *audit) keepDocuments(ctx context.Context) error {
	var docs []any
	for _, s := range a.systems {
		docs = append(docs, s)
	}
	for _, ref := range a.packageOrder() {
		if p := a.packages[ref].pkg; p != nil {
			if ia := a.reg.Assessments[p.Metadata[modelregistry.KeyImpactAssessment]]; ia != nil {
				docs = append(docs, ia)
			}
		}
	}
	for _, d := range docs {
		if err := a.keepDocument(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

func (a *audit) systemsForEndpoint() []*register.System {
	var out []*register.System
	for _, s := range a.reg.Systems {
		for _, e := range s.SageMaker.Endpoints {
			if strings.EqualFold(e, a.endpointName) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

func (a *audit) systemsForGroups() []*register.System {
	var out []*register.System
	seen := map[*register.System]bool{}
	for _, g := range a.groups() {
		for _, s := range a.reg.SystemsForGroup(g) {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// groups lists the model package groups of the packages served.
func (a *audit) groups() []string {
	var out []string
	seen := map[string]bool{}
	for _, ref := range a.packageOrder() {
		if p := a.packages[ref].pkg; p != nil && !seen[p.Group] {
			seen[p.Group] = true
			out = append(out, p.Group)
		}
	}
	return out
}

func (a *audit) systemID() string {
	if a.system == nil {
		return ""
	}
	return a.system.ID
}

// deployment returns the system's declared deployment expectations, nil
// when there is no single system or it declares none.
func (a *audit) deployment() *register.Deployment {
	if a.system == nil {
		return nil
	}
	return a.system.Deployment
}

// finding builds a finding on the endpoint, citing the endpoint and its
// configuration and any further evidence given.
func (a *audit) finding(check, qualifier string, v verdict) findings.Finding {
	f := findings.New(check, a.endpointARN, qualifier, a.systemID(), v.status, a.at)
	f.Observed, f.Expected, f.Reason = v.observed, v.expected, v.reason
	cited := v.evidence
	if v.status != findings.Pass && v.status != findings.NotApplicable {
		// What could not be read may be why the check did not pass.
		cited = append(cited, a.readErrorsURI)
	}
	f.Evidence = append([]string{a.endpointURI, a.configURI}, nonEmpty(cited)...)
	return f
}

// keepDocument stores a register document as evidence once per run.
func (a *audit) keepDocument(ctx context.Context, doc any) error {
	loc := a.reg.LocationOf(doc)
	if _, ok := a.docURIs[loc]; ok || loc == "" {
		return nil
	}
	uri, err := a.run.PutBytes(ctx, a.prefix+"register/"+path.Base(loc), "application/json",
		a.reg.Raw[loc])
	if err != nil {
		return fmt.Errorf("keep register document %s: %w", loc, err)
	}
	a.docURIs[loc] = uri
	return nil
}

// docURI is the evidence URI of a register document kept by collect.
func (a *audit) docURI(doc any) string { return a.docURIs[a.reg.LocationOf(doc)] }

func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	seen := map[string]bool{}
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
