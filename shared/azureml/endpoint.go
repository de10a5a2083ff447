package azureml

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	ml "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/machinelearning/armmachinelearning/v4"

	"github.com/aimsaudit/aimsaudit/shared/evidence"
	"github.com/aimsaudit/aimsaudit/shared/register"
)

// endpointAudit is one judgement of one managed online endpoint: what was
// collected along endpoint → deployments → model versions → model cards,
// and the evidence each finding cites.
type endpointAudit struct {
	check    *Check
	run      *evidence.Run
	at       time.Time
	ws       Workspace
	arm      *Clients
	name     string
	resource string
	// prefix starts every evidence name: "" in a run of its own, a
	// folder per endpoint in a run shared by a sweep batch.
	prefix string

	workspaceURI string
	endpoint     *ml.OnlineEndpoint
	endpointRead readResult
	endpointURI  string
	deployments  []*deploymentView
	listRead     readResult // of the deployment list
	listURI      string
	models       map[string]*modelView // by model version id
	cards        map[string]*cardView  // by card URI

	reg       *register.Register
	systems   []*register.System
	matchedBy string           // "endpoint" or "model"
	system    *register.System // set when exactly one system claims the endpoint
	docURIs   map[string]string
}

// deploymentView is one deployment of the endpoint with the model it
// serves.
type deploymentView struct {
	name   string
	props  *ml.OnlineDeploymentProperties
	asset  string    // the model asset id as the deployment names it
	ref    *ModelRef // nil when the asset id is not a model version
	refErr string
	// refUnknown is set for an id of a form that names a model version by
	// what the audit cannot resolve (a workspace's guid).
	refUnknown bool
	model      *modelView
}

// modelView is a model version as read, with its aims: tags and card.
type modelView struct {
	ref  ModelRef
	out  *ml.ModelVersion
	uri  string
	read readResult
	tags map[string]string
	card *cardView // nil when the version names none
}

func newEndpointAudit(c *Check, run *evidence.Run, at time.Time, ws Workspace, arm *Clients,
	name string) *endpointAudit {
	return &endpointAudit{check: c, run: run, at: at, ws: ws, arm: arm, name: name,
		resource: ws.ID() + "/onlineEndpoints/" + name, models: map[string]*modelView{},
		cards: map[string]*cardView{}, docURIs: map[string]string{}}
}

// collect reads the chain and the register, keeping every answer as
// evidence before any check runs. gone is true when the endpoint does not
// exist.
func (a *endpointAudit) collect(ctx context.Context) (gone bool, err error) {
	uri, res, err := keepWorkspace(ctx, a.arm, a.run, a.prefix, a.ws)
	if err != nil || res.missing {
		return res.missing, err
	}
	a.workspaceURI = uri
	if err := a.collectEndpoint(ctx); err != nil || a.endpointRead.missing {
		return a.endpointRead.missing, err
	}
	steps := []func(context.Context) error{a.collectDeployments, a.collectModels,
		a.collectRegister}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return false, err
		}
	}
	return false, nil
}

func (a *endpointAudit) collectEndpoint(ctx context.Context) error {
	out, err := a.arm.Endpoints.Get(ctx, a.ws.ResourceGroup, a.ws.Name, a.name, nil)
	res, fatal := read(err)
	if fatal != nil {
		return wrap("get online endpoint "+a.name, fatal)
	}
	a.endpointRead = res
	if err != nil {
		return nil
	}
	a.endpoint = &out.OnlineEndpoint
	a.endpointURI, err = a.run.PutJSON(ctx, a.prefix+"online-endpoint.json", a.endpoint)
	return wrapIf("keep online endpoint", err)
}

// collectDeployments lists every deployment of the endpoint, page by page.
func (a *endpointAudit) collectDeployments(ctx context.Context) error {
	var all []*ml.OnlineDeployment
	pages := a.arm.Deployments.NewListPager(a.ws.ResourceGroup, a.ws.Name, a.name, nil)
	for pages.More() {
		page, err := pages.NextPage(ctx)
		res, fatal := read(err)
		if fatal != nil {
			return wrap("list deployments of "+a.name, fatal)
		}
		if err != nil {
			a.listRead = res
			return nil
		}
		all = append(all, page.Value...)
	}
	uri, err := a.run.PutJSON(ctx, a.prefix+"online-deployments.json", all)
	if err != nil {
		return wrap("keep online deployments", err)
	}
	a.listURI = uri
	for _, d := range all {
		a.deployments = append(a.deployments, a.viewOf(d))
	}
	return nil
}

func (a *endpointAudit) viewOf(d *ml.OnlineDeployment) *deploymentView {
	v := &deploymentView{name: deref(d.Name)}
	if d.Properties != nil {
		v.props = d.Properties.GetOnlineDeploymentProperties()
		v.asset = deref(v.props.Model)
	}
	if v.asset == "" {
		v.refErr = "the deployment names no model"
		return v
	}
	ref, err := ParseModelAsset(v.asset, a.ws)
	if err != nil {
		v.refErr = err.Error()
		// TODO(azureml): azureml://locations/L/workspaces/GUID/... names the
		// workspace by its guid; resolving it would need a listing of the
		// subscription's workspaces.
		v.refUnknown = strings.HasPrefix(v.asset, "azureml://locations/")
		return v
	}
	v.ref = &ref
	return v
}

// collectModels reads each served model version once, and its card.
func (a *endpointAudit) collectModels(ctx context.Context) error {
	for _, d := range a.deployments {
		if d.ref == nil {
			continue
		}
		m, err := a.model(ctx, *d.ref)
		if err != nil {
			return err
		}
		d.model = m
	}
	return nil
}

func (a *endpointAudit) model(ctx context.Context, ref ModelRef) (*modelView, error) {
	if m, ok := a.models[ref.ID()]; ok {
		return m, nil
	}
	m, err := readModel(ctx, a.check, a.run, a.prefix, ref, a.ws.Subscription)
	if err != nil {
		return nil, err
	}
	a.models[ref.ID()] = m
	if uri := m.tags[TagModelCard]; uri != "" {
		if m.card, err = a.card(ctx, uri); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// readModel reads a model version with the clients of its own
// subscription (for a registry's, whose id names none, of subscription)
// and keeps it as evidence.
func readModel(ctx context.Context, c *Check, run *evidence.Run, prefix string, ref ModelRef,
	subscription string) (*modelView, error) {
	m := &modelView{ref: ref, tags: map[string]string{}}
	if ref.Subscription != "" {
		subscription = ref.Subscription
	}
	arm, err := c.ARM(subscription)
	if err != nil {
		return nil, err
	}
	out, res, err := getModel(ctx, arm, ref)
	if m.read = res; err != nil || out == nil {
		return m, err
	}
	m.out = out
	if m.out.Properties != nil {
		for k, v := range m.out.Properties.Tags {
			m.tags[k] = deref(v)
		}
	}
	m.uri, err = run.PutJSON(ctx, prefix+"models/"+safeName(ref.Name+"-"+ref.Version)+".json", m.out)
	return m, wrapIf("keep model version", err)
}

func getModel(ctx context.Context, arm *Clients, ref ModelRef) (*ml.ModelVersion, readResult,
	error) {
	if ref.Registry != "" {
		return getRegistryModel(ctx, arm, ref)
	}
	out, err := arm.Models.Get(ctx, ref.ResourceGroup, ref.Workspace.Name, ref.Name, ref.Version,
		nil)
	res, fatal := read(err)
	switch {
	case fatal != nil:
		return nil, res, wrap("get model version "+ref.ID(), fatal)
	case err != nil:
		return nil, res, nil
	}
	return &out.ModelVersion, res, nil
}

func (a *endpointAudit) card(ctx context.Context, uri string) (*cardView, error) {
	if c, ok := a.cards[uri]; ok {
		return c, nil
	}
	name := fmt.Sprintf("%smodel-cards/%d-%s", a.prefix, len(a.cards), safeName(path.Base(uri)))
	c, err := readCard(ctx, a.check.Objects, a.run, name, uri)
	if err != nil {
		return nil, err
	}
	a.cards[uri] = c
	return c, nil
}

// collectRegister finds the endpoint's system: the one that lists the
// endpoint, or else the one that lists the models it serves.
func (a *endpointAudit) collectRegister(ctx context.Context) error {
	reg, err := register.Load(ctx, a.check.Register)
	if err != nil {
		return err
	}
	a.reg = reg
	a.systems, a.matchedBy = systemsForEndpoint(reg, a.ws, a.name), "endpoint"
	if len(a.systems) == 0 {
		a.systems, a.matchedBy = a.systemsForModels(), "model"
	}
	if len(a.systems) == 1 {
		a.system = a.systems[0]
	}
	return a.keepDocuments(ctx)
}

func (a *endpointAudit) systemsForModels() []*register.System {
	var out []*register.System
	seen := map[*register.System]bool{}
	for _, d := range a.deployments {
		if d.ref == nil {
			continue
		}
		for _, s := range systemsForModel(a.reg, a.ws, d.ref.Name) {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// keepDocuments stores the register documents the checks cite.
func (a *endpointAudit) keepDocuments(ctx context.Context) error {
	var docs []any
	for _, s := range a.systems {
		docs = append(docs, s)
	}
	for _, d := range a.deployments {
		if d.model == nil {
			continue
		}
		if ia := a.reg.Assessments[d.model.tags[TagImpactAssessment]]; ia != nil {
			docs = append(docs, ia)
		}
	}
	for _, d := range docs {
		if _, err := keepDocument(ctx, a.run, a.prefix, a.reg, a.docURIs, d); err != nil {
			return err
		}
	}
	return nil
}

// keepDocument stores a register document as evidence once per run and
// returns its evidence URI.
func keepDocument(ctx context.Context, run *evidence.Run, prefix string, reg *register.Register,
	uris map[string]string, doc any) (string, error) {
	loc := reg.LocationOf(doc)
	if uri, ok := uris[loc]; ok || loc == "" {
		return uri, nil
	}
	uri, err := run.PutBytes(ctx, prefix+"register/"+path.Base(loc), "application/json",
		reg.Raw[loc])
	if err != nil {
		return "", wrap("keep register document "+loc, err)
	}
	uris[loc] = uri
	return uri, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeName turns a resource name into one evidence key segment.
func safeName(s string) string { return unsafeChars.ReplaceAllString(s, "_") }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func wrapIf(step string, err error) error {
	if err == nil {
		return nil
	}
	return wrap(step, err)
}
