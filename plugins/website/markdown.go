package main

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The Markdown clerks write is CommonMark with GitHub's tables,
// strikethrough and autolinks (goldmark). Raw HTML in it is dropped by
// goldmark (it renders without WithUnsafe), and what goldmark writes is
// sanitised again with bluemonday's policy for user content, so that no
// script, style, frame or event handler reaches a citizen's page
// whatever a clerk pastes in. Pictures must be on this deployment (the
// portal's pages load nothing from another host): an image from elsewhere
// becomes a link to it.

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(localImages{}, 100))),
	)
	policyOnce sync.Once
	policy     *bluemonday.Policy
	strict     = bluemonday.StrictPolicy()
	spaces     = regexp.MustCompile(`\s+`)
)

func sanitizer() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
		policy = p
	})
	return policy
}

// localImages turns an image whose address is not a path on this
// deployment into a link with the image's text.
type localImages struct{}

// Transform walks the document once.
func (localImages) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var swaps []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering && !isLocal(string(img.Destination)) {
			swaps = append(swaps, img)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range swaps {
		link := ast.NewLink()
		link.Destination, link.Title = img.Destination, img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		if !link.HasChildren() {
			link.AppendChild(link, ast.NewString([]byte("gambar")))
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}

// isLocal: a path on this host ("/14.01/website/..."), not "//host/...".
func isLocal(dest string) bool {
	return strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//") && !strings.HasPrefix(dest, "/\\")
}

// RenderMarkdown turns a clerk's Markdown into HTML safe to put in a page.
func RenderMarkdown(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only on a writer's error; a bytes.Buffer has none.
		return ""
	}
	out := sanitizer().Sanitize(buf.String())
	return strings.ReplaceAll(out, "<img ", `<img loading="lazy" style="max-width:100%;height:auto" `)
}

// PlainText is the text of rendered HTML on one line, at most max runes
// (cut at a word, with an ellipsis): a lead made from the body.
func PlainText(htmlText string, max int) string {
	s := html.UnescapeString(strict.Sanitize(htmlText))
	s = strings.TrimSpace(spaces.ReplaceAllString(s, " "))
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	cut := string(r[:max-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
