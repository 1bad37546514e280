package mailparse

// GuessLanguage tells Lithuanian ("lt", the default) from English ("en")
// text, for answering a resident in the language they wrote in.
func GuessLanguage(text string) string { return guessLanguage(text) }
