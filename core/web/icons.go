package web

import "html/template"

// icons are the host's menu icons by name (sdk.MenuEntry.Icon): line
// drawings on a 24-unit grid, stroked in the text's colour, drawn inline
// so that no icon font or image is fetched. A name not here shows no icon.
var icons = map[string]string{
	"home":      "M3 11.5 12 4l9 7.5M5.5 9.5V20h13V9.5M10 20v-6h4v6",
	"users":     "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6M16 4.3a3.5 3.5 0 0 1 0 6.4M18 14.3c2.1.7 3.5 2.8 3.5 5.7",
	"upload":    "M12 16V4M7 9l5-5 5 5M4 15v5h16v-5",
	"download":  "M12 4v12M7 11l5 5 5-5M4 15v5h16v-5",
	"chart":     "M4 20V11M10 20V5M16 20v-7M2 20h20",
	"note":      "M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6",
	"file":      "M6 3h8l4 4v14H6zM14 3v4h4",
	"mail":      "M3 6h18v12H3zM3 6l9 7 9-7",
	"shop":      "M4 9l2-5h12l2 5M5 9v11h14V9M3 9h18M10 20v-5h4v5",
	"box":       "M3 7.5 12 3l9 4.5v9L12 21l-9-4.5zM3 7.5 12 12l9-4.5M12 12v9",
	"calendar":  "M4 5h16v15H4zM4 10h16M8 3v4M16 3v4",
	"alert":     "M12 3 2 20h20zM12 10v4M12 17v.5",
	"money":     "M3 6h18v12H3zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM6 9v.5M18 14.5v.5",
	"chat":      "M4 4h16v11H9l-5 4z",
	"map":       "M12 21s-6.5-6.2-6.5-11a6.5 6.5 0 0 1 13 0c0 4.8-6.5 11-6.5 11zM12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z",
	"building":  "M4 21V8l8-5 8 5v13M9 21v-5h6v5M2 21h20M8 11h.5M12 11h.5M16 11h.5",
	"star":      "M12 3l2.8 5.8 6.2.9-4.5 4.4 1 6.3L12 17.4 6.5 20.4l1-6.3L3 9.7l6.2-.9z",
	"check":     "M4 12.5 9 17.5 20 6.5",
	"settings":  "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1",
	"dashboard": "M3 3h8v8H3zM13 3h8v5h-8zM13 10h8v11h-8zM3 13h8v8H3z",
}

// iconNames lists the icon names, for the vendor guide and its test.
func iconNames() []string {
	out := make([]string, 0, len(icons))
	for n := range icons {
		out = append(out, n)
	}
	return out
}

// icon is the inline SVG of a named icon, "" for an unknown name. The
// path data are constants of this file, never a plugin's text.
func icon(name string) template.HTML {
	d, ok := icons[name]
	if !ok {
		return ""
	}
	return template.HTML(`<svg class="b-icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"><path d="` + d + `"/></svg>`)
}
