package main

import "github.com/balaidesa/balai/sdk"

var pages = append(append([]sdk.PageRoute{}, consolePages...), publicPages...)

var consolePages []sdk.PageRoute
var publicPages []sdk.PageRoute
