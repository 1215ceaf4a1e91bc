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
