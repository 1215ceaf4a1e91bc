# The review desk's messages in English. Every message here must exist in kk.ftl and ru.ftl too
# (a test fails otherwise). $n is a number already formatted for the language; $count selects the plural.

nav-queue = Queue
nav-mine = My jobs
nav-glossary = Glossary
ui-language = Interface language
ui-language-apply = Switch
logout = Log out

role-translator = translator
role-reviewer = reviewer
role-glossary = glossary maintainer
role-admin = administrator

login-title = Log in to audarma
login-name = User name
login-password = Password
login-submit = Log in
login-failed = Wrong user name or password.
login-rate-limited = Too many failed attempts. Try again in a few minutes.
login-expired = The login form expired. Please try again.

back-to-queue = Back to the queue
queue-title = Review queue
queue-counts = Jobs by state and target language
total = Total
lang-en = English
lang-kk = Kazakh
lang-ru = Russian

state-queued = queued
state-translating = translating
state-in_review = in review
state-approved = approved
state-rejected = rejected
state-failed = failed

filter-state = State
filter-any = any
filter-language = Target language
filter-search = Search
filter-sort = Sort by
filter-mine = Only mine
filter-apply = Show
sort-id = arrival
sort-priority = priority
sort-date = release date
sort-deadline = deadline

jobs-count = { $count ->
    [one] { $n } job
   *[other] { $n } jobs
}
queue-empty = No jobs match these filters.
col-title = Release
col-languages = Languages
col-state = State
col-assignee = Assigned to
col-priority = Priority
col-deadline = Deadline
due-soon = due soon
due-overdue = overdue
col-date = Release date
col-progress = Edited
release-side-by-side = The release in all its languages
page-prev = Previous
page-next = Next
page-of = Page { $page }

history-link = History
script-latin = Show in Latin script
script-cyrillic = Show in Cyrillic (to edit)
script-latin-note = The Kazakh text in the Latin alphabet of 2021, read-only; names as the glossary writes them in Latin.
assign-to = Assign to
assign = Assign
assign-me = Take this job
keys-help = Keys: Ctrl+S save · Ctrl+Enter save and go to the next segment · Ctrl+Shift+C copy the suggestion · Alt+N next finding
segment = segment
segment-title = Title
segment-target = Translation of segment
origin-memory = from translation memory
origin-fuzzy = a fuzzy memory match the translator chose
origin-machine = machine translation
origin-pseudo = pseudo-translation
origin-source = already in the target language
origin-none = no suggestion
tm-matches = { $count ->
    [one] { $n } translation-memory match
   *[other] { $n } translation-memory matches
}
save = Save
copy-suggestion = Copy suggestion
tm-use = Use this match
override-reason = Approve despite errors, because
approve = Approve job
reject-reason = Reason for rejecting
reject = Reject job
comments = Comments
comment-add = Add comment

history-title = History
event-ingest = stored the release
event-job-created = created the job
event-state = changed the state
event-edit = edited segment
event-assign = assigned the job
event-comment = commented
event-override = approved despite error findings
event-tm = added approved segments to translation memory
event-plan = set priority and deadline
event-other = did something

glossary-title = Glossary
glossary-search = Term in any language
concepts-count = { $count ->
    [one] { $n } concept
   *[other] { $n } concepts
}
glossary-note = Note
glossary-dnt = do not translate

flash-saved = Saved.
flash-approved = Job approved; its segments went to translation memory.
flash-rejected = Job rejected.
flash-assigned = Assignment saved.
flash-commented = Comment added.

error-title = Something is wrong
error-not-found = There is no such page or job.
error-forbidden = Your role does not allow this.
error-conflict = Someone else changed this segment since you opened it. Reload to see their text; yours was not saved.
error-your-text = Your text (not saved)
error-reopen-segment = Open the segment again
error-csrf = The form expired. Reload the page and try again.
error-empty-text = The translation is empty.
error-reason-needed = Rejecting a job needs a reason.

js-saving = Saving…
js-saved = Saved
js-failed = Not saved
js-conflict = Changed by someone else: reload

nav-users = Users
users-title = Users
users-name = Name
users-role = Role
users-add = Add user
users-save-role = Change role
flash-user-added = User added.
flash-role-changed = Role changed.

nav-findings = Findings
findings-title = Findings raised and dismissed
findings-intro = How many findings each check raised for each language pair, and how many of them a translator or reviewer marked “not a problem”. A high share dismissed means the check needs work.
findings-none = No findings have been raised yet.
findings-check = Check
findings-raised = Raised
findings-dismissed = Not a problem
findings-share = Share dismissed
finding-why = Why
finding-expected = expected
finding-dismiss = Not a problem
finding-reason = Why (optional)
finding-dismissed-by = Marked not a problem by { $name }
finding-add-word = Add “{ $word }” to the dictionary
flash-dismissed = The finding is marked as not a problem.
flash-word-added = The word was added to the dictionary.
flash-word-known = The word was in the dictionary already; the finding is marked as not a problem.
event-finding-dismissed = marked a finding as not a problem, segment
js-dismissed = Not a problem

# My account, and admins closing accounts
nav-account = My account
users-access = Access
users-disabled = disabled
users-disable = Disable
users-enable = Enable
sessions-end-all = End all sessions
account-title = My account
account-password = Password
account-current-password = Current password
account-new-password = New password
account-change-password = Change password
account-password-hint = Changing the password ends every session, this one too: log in again with the new one.
account-sessions = Open sessions
account-session-since = Since
account-session-until = Until
flash-user-disabled = User disabled; their sessions ended and their tokens stopped.
flash-user-enabled = User enabled.
flash-sessions-ended = Sessions ended.
users-reset-password = Set password
tokens-title = Tokens
tokens-created = Created
tokens-expires = Expires
tokens-revoke = Revoke
tokens-inactive = revoked or expired
flash-password-set = Password set; their sessions ended.
flash-token-revoked = Token revoked.

xliff = XLIFF for a CAT tool
xliff-download = Download
xliff-omegat = XLIFF 1.2 for OmegaT (targets copy the source)
xliff-upload = Import a translated file
xliff-import = Import
xliff-import-title = XLIFF import
xliff-edited = { $count ->
    [one] { $n } segment edited
   *[other] { $n } segments edited
}
xliff-unchanged = { $count ->
    [one] { $n } unchanged
   *[other] { $n } unchanged
}
xliff-conflicts = { $count ->
    [one] { $n } conflict
   *[other] { $n } conflicts
}
xliff-refused = { $count ->
    [one] { $n } refused
   *[other] { $n } refused
}
xliff-edited-list = Edited
xliff-conflicts-list = Changed here since the export: not overwritten (exported version → current)
xliff-refused-list = Not imported
xliff-back-to-job = Back to the job

nav-reports = Reports
mqm-title = MQM review
mqm-pass = passes (pass mark { $threshold })
mqm-fail = fails (pass mark { $threshold }, and no critical error)
mqm-points = { $count ->
    [one] { $n } penalty point
   *[other] { $n } penalty points
}
mqm-words = { $count ->
    [one] over { $n } word
   *[other] over { $n } words
}
mqm-per-thousand = { $value } per 1,000 words
mqm-none = No MQM annotations yet: the job is not scored. An annotated job is approved at a score of { $threshold } or with a reason.
mqm-sev-neutral = neutral
mqm-sev-minor = minor
mqm-sev-major = major
mqm-sev-critical = critical
mqm-type-terminology-wrong-term = Terminology: wrong term
mqm-type-terminology-inconsistent = Terminology: inconsistent with the glossary
mqm-type-terminology-wrong-inflection = Terminology: right term, wrong inflection
mqm-type-accuracy-mistranslation = Accuracy: mistranslation
mqm-type-accuracy-omission = Accuracy: omission
mqm-type-accuracy-addition = Accuracy: addition
mqm-type-accuracy-untranslated = Accuracy: untranslated
mqm-type-linguistic-conventions-grammar = Linguistic conventions: grammar
mqm-type-linguistic-conventions-spelling = Linguistic conventions: spelling
mqm-type-linguistic-conventions-punctuation = Linguistic conventions: punctuation
mqm-type-style-register = Style: register
mqm-type-style-awkward = Style: awkward
mqm-type-locale-conventions-numbers = Locale conventions: numbers
mqm-type-locale-conventions-dates = Locale conventions: dates
mqm-type-locale-conventions-addresses = Locale conventions: addresses
mqm-type-markup = Markup
mqm-accept-finding = Accept as MQM error
mqm-stale = on an earlier text of the segment
mqm-whole-segment = the whole segment
mqm-remove = Remove
mqm-annotate = Mark an MQM error
mqm-type = Error type
mqm-severity = Severity
mqm-marked = Marked text
mqm-marked-hint = select it in the translation, or paste it
mqm-note = Note
mqm-add = Add annotation
mqm-approve-needs-reason = This job fails its MQM review: approving it needs a reason.
approve-refused-title = Not approved
approve-mqm-refused = The job fails its MQM review: score { $score } (penalty points: { $points }; critical errors: { $critical }), pass mark { $threshold }. To publish it anyway, give the reason.
approve-blocked = Error findings block approval. Fix them, mark them “Not a problem”, or give the reason to publish anyway.
approve-back-to-job = Back to the job
flash-annotated = MQM annotation added.
flash-annotation-removed = MQM annotation removed.
reports-title = Reports
reports-intro = Post-editing effort and MQM scores of approved segments, as the command audarma report prints them.
reports-by = Group by
reports-by-backend = Backend
reports-by-pair = Language pair
reports-by-workflow = Workflow
reports-by-translator = Translator
reports-by-month = Month
reports-by-model = Backend and model
reports-by-start = Starting point
reports-since = From
reports-until = Before (day not included)
reports-show = Show
reports-none = No approved segments in this period.
reports-col-jobs = Jobs
reports-col-segments = Segments
reports-col-words = Words
reports-col-untouched = Untouched
reports-col-hter-help = word edits from the suggestion per word of the approved text
reports-col-annotations = Annotations
reports-col-critical = Critical
reports-col-term-fixes = Term fixes per 100 segments
reports-col-inflection-fixes = Re-inflected terms per 100 segments
reports-col-seconds = Seconds per word
reports-table-note = HTER: word edits from the suggestion per approved word (lower is better). Seconds per word only over segments edited at 0.25–30 seconds a word.
reports-hter-heading = Post-edit distance by backend
reports-hter-title = HTER by backend, { $pair }
reports-axis-month = Month of approval
reports-axis-hter = HTER (word edits per word)
reports-point-hter = { $backend }, { $month }: HTER { $value }, { $segments }
reports-segments = { $count ->
    [one] { $n } segment
   *[other] { $n } segments
}
reports-mqm-heading = MQM scores
reports-mqm-title = { $count ->
    [one] MQM score of { $n } annotated job
   *[other] MQM scores of { $n } annotated jobs
}
reports-mqm-none = No approved job of this period has MQM annotations.
reports-axis-mqm = MQM score (pass mark { $threshold })
reports-axis-jobs = Jobs
reports-jobs = { $count ->
    [one] { $n } job
   *[other] { $n } jobs
}
reports-point-mqm = score { $range }: { $jobs }
reports-terms-heading = Terms fixed most often
reports-terms-title = Glossary concepts translators had to fix
reports-terms-none = Translators fixed no glossary term in this period.
reports-axis-fixes = Segments where the term was fixed
reports-axis-concept = Concept
reports-point-term = { $term }: fixed in { $segments }
reports-terms-wrong = Term wrong or missing
reports-terms-inflection = Right term, wrong inflection
reports-point-inflection = { $term }: re-inflected in { $segments }

account-feed = Feed of my jobs
account-feed-hint = An Atom feed of the jobs assigned to you and their changes, for any feed reader. Its link works without logging in: keep it to yourself. A new link replaces the old one.
account-feed-create = Create a new feed link
account-feed-link = Your feed link (shown only now: copy it into your feed reader):
feed-title = audarma: jobs of { $name }
feed-subtitle = The jobs assigned to { $name } and what happened to them, newest first.
feed-entry-state = { $state }: { $title } ({ $pair })
feed-entry-assigned = Assigned to you: { $title } ({ $pair })
feed-entry-assigned-other = Assigned to { $name }: { $title } ({ $pair })
feed-entry-unassigned = Unassigned: { $title } ({ $pair })
feed-entry-deadline = Due { $date }: { $title } ({ $pair })
feed-summary = Job { $job }, now { $state }; changed by { $name }.
feed-deadline = Deadline: { $date }.
feed-kind-state = state change
feed-kind-assign = assignment
feed-kind-deadline = deadline
