package deployment

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/aimsaudit/aimsaudit/shared/modelregistry"
)

// cardView is a SageMaker model card as read, with what its content says
// about the package it describes.
type cardView struct {
	name    string
	out     *sagemaker.DescribeModelCardOutput
	uri     string
	read    readResult
	details *packageDetails // nil when the content names no package
	// contentErr says why the content could not be read as JSON.
	contentErr string
}

// packageDetails is the model_package_details section of a card's content,
// in the SageMaker model card JSON schema.
type packageDetails struct {
	ARN     string `json:"model_package_arn"`
	Name    string `json:"model_package_name"`
	Group   string `json:"model_package_group_name"`
	Version any    `json:"model_package_version"`
}

// describes reports whether the details name exactly this package version:
// its ARN, and the same version where the card also states one.
func (d *packageDetails) describes(p *modelregistry.Package) bool {
	if d == nil {
		return false
	}
	sameVersion := d.Version == nil || versionOf(d.Version) == p.Version
	if d.ARN != "" {
		return strings.EqualFold(d.ARN, p.ARN) && sameVersion
	}
	return d.Group == p.Group && d.Version != nil && sameVersion
}

// ofGroup reports whether the details name some version of the package's
// group: a card of this model, if perhaps of another version.
func (d *packageDetails) ofGroup(p *modelregistry.Package) bool {
	if d == nil {
		return false
	}
	if d.Group != "" {
		return d.Group == p.Group
	}
	_, rest, ok := strings.Cut(d.ARN, ":model-package/")
	group, _, _ := strings.Cut(rest, "/")
	return ok && group == p.Group
}

// cardFor finds the package's card: the one its aims:model-card names, or
// else the card whose model_package_details names this version, or else
// the newest card of another version of its group.
func (a *audit) cardFor(ctx context.Context, p *packageView) error {
	if name := p.pkg.Metadata[modelregistry.KeyModelCard]; name != "" {
		p.cardNamed = true
		c, err := a.card(ctx, name)
		p.card = c
		return err
	}
	if err := a.indexCards(ctx); err != nil {
		return err
	}
	if a.cardIndexRead.unknown != "" {
		p.cardSearch = a.cardIndexRead
		return nil
	}
	var sameGroup *cardView
	for _, c := range a.cardIndex {
		switch {
		case c.details.describes(p.pkg):
			p.card = c
			return nil
		case sameGroup == nil && c.details.ofGroup(p.pkg):
			sameGroup = c
		}
	}
	if a.cardIndexGap != "" {
		// A card that could not be read may be the one describing this
		// version: the search is inconclusive.
		p.cardSearch = readResult{unknown: a.cardIndexGap}
		return nil
	}
	p.card = sameGroup
	return nil
}

// card describes a model card once per run and keeps it as evidence.
func (a *audit) card(ctx context.Context, name string) (*cardView, error) {
	if c, ok := a.cards[name]; ok {
		return c, nil
	}
	out, err := a.check.SageMaker.DescribeModelCard(ctx, &sagemaker.DescribeModelCardInput{
		ModelCardName: aws.String(name)})
	res, fatal := read(err)
	if fatal != nil {
		return nil, fmt.Errorf("describe model card %s: %w", name, fatal)
	}
	c := &cardView{name: name, read: res}
	a.cards[name] = c
	if err != nil {
		a.readErrors["model-card/"+name] = err.Error()
		return c, nil
	}
	c.out = out
	if c.uri, err = a.putJSON(ctx, "model-cards/"+safeName(name)+".json", out); err != nil {
		return nil, fmt.Errorf("keep model card %s: %w", name, err)
	}
	c.details, c.contentErr = parseDetails(aws.ToString(out.Content))
	return c, nil
}

func parseDetails(content string) (*packageDetails, string) {
	var doc struct {
		Details *packageDetails `json:"model_package_details"`
	}
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		return nil, "content is not the model card JSON: " + err.Error()
	}
	return doc.Details, ""
}

// indexCards lists and describes the account's model cards once per run,
// newest first, for packages that do not name their card.
// TODO(deployment): this reads every card of the account; a sweep over
// many endpoints should share one index per account.
func (a *audit) indexCards(ctx context.Context) error {
	if a.cardIndexDone {
		return nil
	}
	a.cardIndexDone = true
	var summaries []types.ModelCardSummary
	pages := sagemaker.NewListModelCardsPaginator(a.check.SageMaker, &sagemaker.ListModelCardsInput{
		SortBy: types.ModelCardSortByCreationTime, SortOrder: types.ModelCardSortOrderDescending})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		res, fatal := read(err)
		if fatal != nil {
			return fmt.Errorf("list model cards: %w", fatal)
		}
		if err != nil {
			a.cardIndexRead = res
			a.readErrors["model-cards"] = err.Error()
			return nil
		}
		summaries = append(summaries, page.ModelCardSummaries...)
	}
	if _, err := a.putJSON(ctx, "model-cards.json", summaries); err != nil {
		return fmt.Errorf("keep model card list: %w", err)
	}
	for _, s := range summaries {
		c, err := a.card(ctx, aws.ToString(s.ModelCardName))
		if err != nil {
			return err
		}
		switch {
		case c.out != nil:
			a.cardIndex = append(a.cardIndex, c)
		case c.read.unknown != "" && a.cardIndexGap == "":
			a.cardIndexGap = "model card " + c.name + ": " + c.read.unknown
		}
	}
	return nil
}
