# The review desk's messages in Kazakh (Cyrillic). Every message in en.ftl must exist here too
# (a test fails otherwise). $n is a number already formatted for the language; $count selects the plural.

nav-queue = Кезек
nav-mine = Менің тапсырмаларым
nav-glossary = Глоссарий
ui-language = Интерфейс тілі
ui-language-apply = Ауыстыру
logout = Шығу

role-translator = аудармашы
role-reviewer = редактор
role-glossary = глоссарий жүргізуші
role-admin = әкімші

login-title = audarma жүйесіне кіру
login-name = Пайдаланушы аты
login-password = Құпиясөз
login-submit = Кіру
login-failed = Пайдаланушы аты немесе құпиясөз қате.
login-rate-limited = Сәтсіз әрекеттер тым көп. Бірнеше минуттан кейін қайталап көріңіз.
login-expired = Кіру формасының мерзімі өтіп кетті. Қайталап көріңіз.

back-to-queue = Кезекке оралу
queue-title = Тексеру кезегі
queue-counts = Күйі мен аударма тілі бойынша тапсырмалар
total = Барлығы
lang-en = Ағылшын тілі
lang-kk = Қазақ тілі
lang-ru = Орыс тілі

state-queued = кезекте
state-translating = аударылуда
state-in_review = тексерілуде
state-approved = бекітілді
state-rejected = қабылданбады
state-failed = сәтсіз

filter-state = Күйі
filter-any = кез келген
filter-language = Аударма тілі
filter-search = Іздеу
filter-sort = Сұрыптау
filter-mine = Тек менікі
filter-apply = Көрсету
sort-id = келіп түсу реті
sort-priority = басымдық
sort-date = релиз күні
sort-deadline = соңғы мерзім

jobs-count = { $count ->
    [one] { $n } тапсырма
   *[other] { $n } тапсырма
}
queue-empty = Бұл сүзгілерге сәйкес тапсырма жоқ.
col-title = Релиз
col-languages = Тілдер
col-state = Күйі
col-assignee = Орындаушы
col-priority = Басымдық
col-deadline = Соңғы мерзім
due-soon = мерзімі жақын
due-overdue = мерзімі өтті
col-date = Релиз күні
col-progress = Өңделді
release-side-by-side = Релиз барлық тілдерде
page-prev = Алдыңғы
page-next = Келесі
page-of = { $page }-бет

history-link = Тарих
script-latin = Латын графикасымен көрсету
script-cyrillic = Кириллицамен көрсету (өңдеу үшін)
script-latin-note = Қазақша мәтін 2021 жылғы латын әліпбиімен, тек оқу үшін; есімдер глоссарийдегі латын жазылуымен берілген.
assign-to = Кімге тағайындау
assign = Тағайындау
assign-me = Тапсырманы өзіме алу
keys-help = Пернелер: Ctrl+S — сақтау · Ctrl+Enter — сақтап, келесі сегментке өту · Ctrl+Shift+C — ұсынысты көшіру · Alt+N — келесі ескерту
segment = сегмент
segment-title = Тақырып
segment-target = Сегмент аудармасы
origin-memory = аударма жадынан
origin-fuzzy = аудармашы таңдаған жадтағы ұқсас аударма
origin-machine = машиналық аударма
origin-pseudo = псевдоаударма
origin-source = аударма тілінде бұрыннан бар
origin-none = ұсыныс жоқ
tm-matches = { $count ->
    [one] аударма жадында { $n } сәйкестік
   *[other] аударма жадында { $n } сәйкестік
}
save = Сақтау
copy-suggestion = Ұсынысты көшіру
tm-use = Осы сәйкестікті алу
override-reason = Қателерге қарамастан бекіту, себебі
approve = Тапсырманы бекіту
reject-reason = Қабылдамау себебі
reject = Тапсырманы қабылдамау
comments = Пікірлер
comment-add = Пікір қосу

history-title = Тарих
event-ingest = релизді сақтады
event-job-created = тапсырма жасады
event-state = күйін өзгертті
event-edit = сегментті өңдеді
event-assign = тапсырманы тағайындады
event-comment = пікір қалдырды
event-override = қате ескертулерге қарамастан бекітті
event-tm = бекітілген сегменттерді аударма жадына қосты
event-plan = басымдық пен мерзімді белгіледі
event-other = басқа әрекет жасады

glossary-title = Глоссарий
glossary-search = Кез келген тілдегі термин
concepts-count = { $count ->
    [one] { $n } ұғым
   *[other] { $n } ұғым
}
glossary-note = Ескертпе
glossary-dnt = аударылмайды

flash-saved = Сақталды.
flash-approved = Тапсырма бекітілді; оның сегменттері аударма жадына қосылды.
flash-rejected = Тапсырма қабылданбады.
flash-assigned = Тағайындау сақталды.
flash-commented = Пікір қосылды.

error-title = Бірдеңе дұрыс емес
error-not-found = Мұндай бет немесе тапсырма жоқ.
error-forbidden = Сіздің рөліңіз бұған рұқсат бермейді.
error-conflict = Сіз бұл сегментті ашқаннан кейін оны басқа біреу өзгертті. Оның мәтінін көру үшін бетті қайта жүктеңіз; сіздің мәтініңіз сақталмады.
error-your-text = Сіздің мәтініңіз (сақталмады)
error-reopen-segment = Сегментті қайта ашу
error-csrf = Форманың мерзімі өтіп кетті. Бетті қайта жүктеп, қайталап көріңіз.
error-empty-text = Аударма бос.
error-reason-needed = Тапсырманы қабылдамау үшін себебін көрсету керек.

js-saving = Сақталуда…
js-saved = Сақталды
js-failed = Сақталмады
js-conflict = Басқа біреу өзгертті: бетті қайта жүктеңіз

nav-users = Пайдаланушылар
users-title = Пайдаланушылар
users-name = Аты
users-role = Рөлі
users-add = Пайдаланушы қосу
users-save-role = Рөлін өзгерту
flash-user-added = Пайдаланушы қосылды.
flash-role-changed = Рөлі өзгертілді.

nav-findings = Ескертулер
findings-title = Берілген және «мәселе емес» деп белгіленген ескертулер
findings-intro = Әр тексеру әр тіл жұбы бойынша қанша ескерту бергені және аудармашылар мен редакторлар олардың қаншасын «мәселе емес» деп белгілегені. Белгіленгендердің үлесі жоғары болса, тексеруді жетілдіру керек.
findings-none = Әзірге бірде-бір ескерту берілген жоқ.
findings-check = Тексеру
findings-raised = Берілді
findings-dismissed = Мәселе емес
findings-share = «Мәселе емес» үлесі
finding-why = Себебі
finding-expected = күтілгені
finding-dismiss = Мәселе емес
finding-reason = Себебі (міндетті емес)
finding-dismissed-by = { $name } «мәселе емес» деп белгіледі
finding-add-word = «{ $word }» сөзін сөздікке қосу
flash-dismissed = Ескерту «мәселе емес» деп белгіленді.
flash-word-added = Сөз сөздікке қосылды.
flash-word-known = Бұл сөз сөздікте бұрыннан бар; ескерту «мәселе емес» деп белгіленді.
event-finding-dismissed = ескертуді «мәселе емес» деп белгіледі, сегмент
js-dismissed = Мәселе емес

# My account, and admins closing accounts
nav-account = Менің тіркелгім
users-access = Қолжетімділік
users-disabled = өшірілген
users-disable = Өшіру
users-enable = Қосу
sessions-end-all = Барлық сеанстарды аяқтау
account-title = Менің тіркелгім
account-password = Құпиясөз
account-current-password = Қазіргі құпиясөз
account-new-password = Жаңа құпиясөз
account-change-password = Құпиясөзді өзгерту
account-password-hint = Құпиясөзді өзгерткенде барлық сеанс, осы сеанс та, аяқталады: жаңа құпиясөзбен қайта кіріңіз.
account-sessions = Ашық сеанстар
account-session-since = Басталуы
account-session-until = Аяқталуы
flash-user-disabled = Пайдаланушы өшірілді; сеанстары аяқталды, токендері тоқтатылды.
flash-user-enabled = Пайдаланушы қосылды.
flash-sessions-ended = Сеанстар аяқталды.
users-reset-password = Құпиясөз орнату
tokens-title = Токендер
tokens-created = Жасалды
tokens-expires = Мерзімі
tokens-revoke = Кері қайтару
tokens-inactive = кері қайтарылған немесе мерзімі өткен
flash-password-set = Құпиясөз орнатылды; сеанстары аяқталды.
flash-token-revoked = Токен кері қайтарылды.

xliff = CAT құралына арналған XLIFF
xliff-download = Жүктеп алу
xliff-omegat = OmegaT үшін XLIFF 1.2 (аударма бастапқы мәтіннің көшірмесі)
xliff-upload = Аударылған файлды импорттау
xliff-import = Импорттау
xliff-import-title = XLIFF импорты
xliff-edited = { $count ->
    [one] { $n } сегмент өзгертілді
   *[other] { $n } сегмент өзгертілді
}
xliff-unchanged = { $count ->
    [one] { $n } өзгеріссіз
   *[other] { $n } өзгеріссіз
}
xliff-conflicts = { $count ->
    [one] { $n } қайшылық
   *[other] { $n } қайшылық
}
xliff-refused = { $count ->
    [one] { $n } қабылданбады
   *[other] { $n } қабылданбады
}
xliff-edited-list = Өзгертілгендер
xliff-conflicts-list = Экспорттан кейін мұнда өзгертілген: қайта жазылмады (экспорт нұсқасы → қазіргі)
xliff-refused-list = Импортталмағандар
xliff-back-to-job = Тапсырмаға оралу

nav-reports = Есептер
mqm-title = MQM бағалауы
mqm-pass = өтеді (өту шегі { $threshold })
mqm-fail = өтпейді (өту шегі { $threshold }, әрі бірде-бір сыни қате болмауы керек)
mqm-points = { $count ->
    [one] { $n } айыппұл ұпайы
   *[other] { $n } айыппұл ұпайы
}
mqm-words = { $count ->
    [one] { $n } сөзге
   *[other] { $n } сөзге
}
mqm-per-thousand = 1000 сөзге { $value }
mqm-none = Әзірге MQM аннотациясы жоқ: тапсырма бағаланбаған. Аннотациясы бар тапсырма { $threshold } және одан жоғары баллмен немесе негіздемемен бекітіледі.
mqm-sev-neutral = бейтарап
mqm-sev-minor = болмашы
mqm-sev-major = елеулі
mqm-sev-critical = сыни
mqm-type-terminology-wrong-term = Терминология: қате термин
mqm-type-terminology-inconsistent = Терминология: глоссарийге сай емес
mqm-type-terminology-wrong-inflection = Терминология: термин дұрыс, тұлғасы қате
mqm-type-accuracy-mistranslation = Дәлдік: қате аударма
mqm-type-accuracy-omission = Дәлдік: түсіп қалған
mqm-type-accuracy-addition = Дәлдік: артық қосылған
mqm-type-accuracy-untranslated = Дәлдік: аударылмаған
mqm-type-linguistic-conventions-grammar = Тіл нормалары: грамматика
mqm-type-linguistic-conventions-spelling = Тіл нормалары: емле
mqm-type-linguistic-conventions-punctuation = Тіл нормалары: тыныс белгілері
mqm-type-style-register = Стиль: регистр
mqm-type-style-awkward = Стиль: қолайсыз
mqm-type-locale-conventions-numbers = Жергілікті нормалар: сандар
mqm-type-locale-conventions-dates = Жергілікті нормалар: күндер
mqm-type-locale-conventions-addresses = Жергілікті нормалар: мекенжайлар
mqm-type-markup = Белгілеу
mqm-accept-finding = MQM қатесі ретінде қабылдау
mqm-stale = сегменттің бұрынғы мәтініне
mqm-whole-segment = бүкіл сегмент
mqm-remove = Жою
mqm-annotate = MQM қатесін белгілеу
mqm-type = Қате түрі
mqm-severity = Маңыздылығы
mqm-marked = Белгіленген мәтін
mqm-marked-hint = аудармадан бөлектеңіз немесе қойыңыз
mqm-note = Ескертпе
mqm-add = Аннотация қосу
mqm-approve-needs-reason = Тапсырма MQM бағалауынан өтпейді: бекіту үшін негіздеме керек.
approve-refused-title = Бекітілмеді
approve-mqm-refused = Тапсырма MQM бағалауынан өтпейді: балл { $score } (айыппұл ұпайы: { $points }; сыни қате: { $critical }), өту шегі { $threshold }. Бәрібір жариялау үшін негіздемесін жазыңыз.
approve-blocked = Бекітуге тексеру қателері кедергі. Оларды түзетіңіз, «Қате емес» деп белгілеңіз немесе неге жариялауға болатынын жазыңыз.
approve-back-to-job = Тапсырмаға оралу
flash-annotated = MQM аннотациясы қосылды.
flash-annotation-removed = MQM аннотациясы жойылды.
reports-title = Есептер
reports-intro = Бекітілген сегменттерді кейін өңдеуге кеткен еңбек пен MQM баллдары — audarma report командасы шығаратын сол көрсеткіштер.
reports-by = Топтау
reports-by-backend = Қозғалтқыш
reports-by-pair = Тіл жұбы
reports-by-workflow = Үдеріс
reports-by-translator = Аудармашы
reports-by-month = Ай
reports-by-model = Қозғалтқыш және модель
reports-by-start = Бастапқы нұсқа
reports-since = Басы
reports-until = Дейін (бұл күн кірмейді)
reports-show = Көрсету
reports-none = Бұл кезеңде бекітілген сегмент жоқ.
reports-col-jobs = Тапсырмалар
reports-col-segments = Сегменттер
reports-col-words = Сөздер
reports-col-untouched = Өзгертілмеген
reports-col-hter-help = ұсынылған аудармадан бекітілген мәтіннің бір сөзіне келетін сөз түзетулері
reports-col-annotations = Аннотациялар
reports-col-critical = Сыни
reports-col-term-fixes = 100 сегментке термин түзетулері
reports-col-inflection-fixes = 100 сегментке термин формасының түзетулері
reports-col-seconds = Бір сөзге секунд
reports-table-note = HTER — ұсынылған аудармадан бекітілген мәтіннің бір сөзіне келетін сөз түзетулері (аз болған сайын жақсы). Бір сөзге секунд тек бір сөзге 0,25–30 секунд жұмсалған сегменттер бойынша.
reports-hter-heading = Қозғалтқыштар бойынша кейін өңдеу көлемі
reports-hter-title = Қозғалтқыштар бойынша HTER, { $pair }
reports-axis-month = Бекітілген ай
reports-axis-hter = HTER (бір сөзге түзету)
reports-point-hter = { $backend }, { $month }: HTER { $value }, { $segments }
reports-segments = { $count ->
    [one] { $n } сегмент
   *[other] { $n } сегмент
}
reports-mqm-heading = MQM баллдары
reports-mqm-title = { $count ->
    [one] Аннотациясы бар { $n } тапсырманың MQM баллы
   *[other] Аннотациясы бар { $n } тапсырманың MQM баллдары
}
reports-mqm-none = Бұл кезеңде бекітілген бірде-бір тапсырмада MQM аннотациясы жоқ.
reports-axis-mqm = MQM баллы (өту шегі { $threshold })
reports-axis-jobs = Тапсырмалар
reports-jobs = { $count ->
    [one] { $n } тапсырма
   *[other] { $n } тапсырма
}
reports-point-mqm = балл { $range }: { $jobs }
reports-terms-heading = Жиі түзетілетін терминдер
reports-terms-title = Аудармашылар түзетуге мәжбүр болған глоссарий ұғымдары
reports-terms-none = Бұл кезеңде аудармашылар глоссарий терминін түзетпеген.
reports-axis-fixes = Термин түзетілген сегменттер
reports-axis-concept = Ұғым
reports-point-term = { $term }: { $segments } түзетілді
reports-terms-wrong = Термин қате немесе жоқ
reports-terms-inflection = Термин дұрыс, формасы қате
reports-point-inflection = { $term }: формасы { $segments } түзетілді

account-feed = Менің тапсырмаларымның арнасы
account-feed-hint = Сізге тағайындалған тапсырмалар мен олардың өзгерістерінің Atom арнасы — кез келген арна оқу бағдарламасына арналған. Сілтеме жүйеге кірмей-ақ ашылады: оны ешкімге бермеңіз. Жаңа сілтеме бұрынғысын ауыстырады.
account-feed-create = Арнаға жаңа сілтеме жасау
account-feed-link = Арнаңыздың сілтемесі (тек қазір көрсетіледі: оны арна оқу бағдарламасына көшіріп алыңыз):
feed-title = audarma: { $name } пайдаланушысының тапсырмалары
feed-subtitle = { $name } пайдаланушысына тағайындалған тапсырмалар және олармен не болғаны, жаңалары жоғарыда.
feed-entry-state = { $state }: { $title } ({ $pair })
feed-entry-assigned = Сізге тағайындалды: { $title } ({ $pair })
feed-entry-assigned-other = { $name } пайдаланушысына тағайындалды: { $title } ({ $pair })
feed-entry-unassigned = Тағайындау алынды: { $title } ({ $pair })
feed-entry-deadline = Мерзімі { $date }: { $title } ({ $pair })
feed-summary = № { $job } тапсырма, қазіргі күйі: { $state }; өзгерткен: { $name }.
feed-deadline = Соңғы мерзім: { $date }.
feed-kind-state = күй өзгерісі
feed-kind-assign = тағайындау
feed-kind-deadline = соңғы мерзім
