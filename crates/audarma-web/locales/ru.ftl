# The review desk's messages in Russian. Every message in en.ftl must exist here too
# (a test fails otherwise). $n is a number already formatted for the language; $count selects the plural.

nav-queue = Очередь
nav-mine = Мои задания
nav-glossary = Глоссарий
ui-language = Язык интерфейса
ui-language-apply = Переключить
logout = Выйти

role-translator = переводчик
role-reviewer = редактор
role-glossary = ведущий глоссария
role-admin = администратор

login-title = Вход в audarma
login-name = Имя пользователя
login-password = Пароль
login-submit = Войти
login-failed = Неверное имя пользователя или пароль.
login-rate-limited = Слишком много неудачных попыток. Повторите через несколько минут.
login-expired = Срок действия формы входа истёк. Попробуйте ещё раз.

back-to-queue = Назад к очереди
queue-title = Очередь на проверку
queue-counts = Задания по статусу и языку перевода
total = Всего
lang-en = Английский
lang-kk = Казахский
lang-ru = Русский

state-queued = в очереди
state-translating = переводится
state-in_review = на проверке
state-approved = утверждено
state-rejected = отклонено
state-failed = ошибка

filter-state = Статус
filter-any = любой
filter-language = Язык перевода
filter-search = Поиск
filter-sort = Сортировка
filter-mine = Только мои
filter-apply = Показать
sort-id = по поступлению
sort-priority = по приоритету
sort-date = по дате релиза
sort-deadline = по сроку

jobs-count = { $count ->
    [one] { $n } задание
    [few] { $n } задания
    [many] { $n } заданий
   *[other] { $n } задания
}
queue-empty = Нет заданий, соответствующих этим фильтрам.
col-title = Релиз
col-languages = Языки
col-state = Статус
col-assignee = Исполнитель
col-priority = Приоритет
col-deadline = Срок
due-soon = срок подходит
due-overdue = просрочено
col-date = Дата релиза
col-progress = Отредактировано
release-side-by-side = Релиз на всех языках
page-prev = Назад
page-next = Далее
page-of = Страница { $page }

history-link = История
script-latin = Показать латиницей
script-cyrillic = Показать кириллицей (для правки)
script-latin-note = Казахский текст латинским алфавитом 2021 года, только для чтения; имена — так, как их пишет по-латински глоссарий.
assign-to = Кому назначить
assign = Назначить
assign-me = Взять задание
keys-help = Клавиши: Ctrl+S — сохранить · Ctrl+Enter — сохранить и перейти к следующему сегменту · Ctrl+Shift+C — скопировать предложенный вариант · Alt+N — следующее замечание
segment = сегмент
segment-title = Заголовок
segment-target = Перевод сегмента
origin-memory = из памяти переводов
origin-fuzzy = нечёткое совпадение из памяти, выбранное переводчиком
origin-machine = машинный перевод
origin-pseudo = псевдоперевод
origin-source = уже на языке перевода
origin-none = нет варианта
tm-matches = { $count ->
    [one] { $n } совпадение в памяти переводов
    [few] { $n } совпадения в памяти переводов
    [many] { $n } совпадений в памяти переводов
   *[other] { $n } совпадения в памяти переводов
}
save = Сохранить
copy-suggestion = Скопировать вариант
tm-use = Взять это совпадение
override-reason = Утвердить, несмотря на ошибки, потому что
approve = Утвердить задание
reject-reason = Причина отклонения
reject = Отклонить задание
comments = Комментарии
comment-add = Добавить комментарий

history-title = История
event-ingest = сохранил(а) релиз
event-job-created = создал(а) задание
event-state = изменил(а) статус
event-edit = отредактировал(а) сегмент
event-assign = назначил(а) задание
event-comment = оставил(а) комментарий
event-override = утвердил(а), несмотря на найденные ошибки
event-tm = добавил(а) утверждённые сегменты в память переводов
event-plan = задал(а) приоритет и срок
event-other = выполнил(а) другое действие

glossary-title = Глоссарий
glossary-search = Термин на любом языке
concepts-count = { $count ->
    [one] { $n } понятие
    [few] { $n } понятия
    [many] { $n } понятий
   *[other] { $n } понятия
}
glossary-note = Примечание
glossary-dnt = не переводить

flash-saved = Сохранено.
flash-approved = Задание утверждено; его сегменты добавлены в память переводов.
flash-rejected = Задание отклонено.
flash-assigned = Назначение сохранено.
flash-commented = Комментарий добавлен.

error-title = Что-то пошло не так
error-not-found = Такой страницы или задания нет.
error-forbidden = Ваша роль не позволяет это сделать.
error-conflict = Кто-то другой изменил этот сегмент после того, как вы его открыли. Перезагрузите страницу, чтобы увидеть новый текст; ваш текст не сохранён.
error-your-text = Ваш текст (не сохранён)
error-reopen-segment = Открыть сегмент снова
error-csrf = Срок действия формы истёк. Перезагрузите страницу и попробуйте ещё раз.
error-empty-text = Перевод пуст.
error-reason-needed = Чтобы отклонить задание, укажите причину.

js-saving = Сохранение…
js-saved = Сохранено
js-failed = Не сохранено
js-conflict = Изменено другим пользователем: перезагрузите страницу

nav-users = Пользователи
users-title = Пользователи
users-name = Имя
users-role = Роль
users-add = Добавить пользователя
users-save-role = Изменить роль
flash-user-added = Пользователь добавлен.
flash-role-changed = Роль изменена.

nav-findings = Замечания
findings-title = Выданные замечания и отмеченные как «не проблема»
findings-intro = Сколько замечаний выдала каждая проверка для каждой языковой пары и сколько из них переводчики и редакторы отметили как «не проблема». Высокая доля таких отметок означает, что проверку нужно улучшить.
findings-none = Замечаний пока не было.
findings-check = Проверка
findings-raised = Выдано
findings-dismissed = Не проблема
findings-share = Доля «не проблема»
finding-why = Почему
finding-expected = ожидалось
finding-dismiss = Не проблема
finding-reason = Причина (необязательно)
finding-dismissed-by = { $name } отметил(а) как «не проблема»
finding-add-word = Добавить «{ $word }» в словарь
flash-dismissed = Замечание отмечено как «не проблема».
flash-word-added = Слово добавлено в словарь.
flash-word-known = Это слово уже есть в словаре; замечание отмечено как «не проблема».
event-finding-dismissed = отметил(а) замечание как «не проблема», сегмент
js-dismissed = Не проблема

# My account, and admins closing accounts
nav-account = Моя учётная запись
users-access = Доступ
users-disabled = отключён
users-disable = Отключить
users-enable = Включить
sessions-end-all = Завершить все сеансы
account-title = Моя учётная запись
account-password = Пароль
account-current-password = Текущий пароль
account-new-password = Новый пароль
account-change-password = Сменить пароль
account-password-hint = Смена пароля завершает все сеансы, и этот тоже: войдите снова с новым паролем.
account-sessions = Открытые сеансы
account-session-since = С
account-session-until = До
flash-user-disabled = Пользователь отключён; его сеансы завершены, токены остановлены.
flash-user-enabled = Пользователь включён.
flash-sessions-ended = Сеансы завершены.
users-reset-password = Задать пароль
tokens-title = Токены
tokens-created = Создан
tokens-expires = Истекает
tokens-revoke = Отозвать
tokens-inactive = отозван или истёк
flash-password-set = Пароль задан; сеансы пользователя завершены.
flash-token-revoked = Токен отозван.

xliff = XLIFF для CAT-инструмента
xliff-download = Скачать
xliff-omegat = XLIFF 1.2 для OmegaT (перевод — копия исходного текста)
xliff-upload = Импортировать переведённый файл
xliff-import = Импортировать
xliff-import-title = Импорт XLIFF
xliff-edited = { $count ->
    [one] { $n } сегмент изменён
    [few] { $n } сегмента изменено
   *[other] { $n } сегментов изменено
}
xliff-unchanged = { $count ->
    [one] { $n } без изменений
   *[other] { $n } без изменений
}
xliff-conflicts = { $count ->
    [one] { $n } конфликт
    [few] { $n } конфликта
   *[other] { $n } конфликтов
}
xliff-refused = { $count ->
    [one] { $n } отклонён
   *[other] { $n } отклонено
}
xliff-edited-list = Изменены
xliff-conflicts-list = Изменены здесь после экспорта: не перезаписаны (версия экспорта → текущая)
xliff-refused-list = Не импортированы
xliff-back-to-job = Вернуться к задаче

nav-reports = Отчёты
mqm-title = Оценка MQM
mqm-pass = проходит (порог { $threshold })
mqm-fail = не проходит (порог { $threshold } и ни одной критической ошибки)
mqm-points = { $count ->
    [one] { $n } штрафной балл
    [few] { $n } штрафных балла
    [many] { $n } штрафных баллов
   *[other] { $n } штрафных балла
}
mqm-words = { $count ->
    [one] на { $n } слово
    [few] на { $n } слова
    [many] на { $n } слов
   *[other] на { $n } слова
}
mqm-per-thousand = { $value } на 1000 слов
mqm-none = Аннотаций MQM пока нет: оценки у задания нет. Задание с аннотациями утверждается при оценке { $threshold } и выше или с обоснованием.
mqm-sev-neutral = нейтральная
mqm-sev-minor = незначительная
mqm-sev-major = существенная
mqm-sev-critical = критическая
mqm-type-terminology-wrong-term = Терминология: неверный термин
mqm-type-terminology-inconsistent = Терминология: расхождение с глоссарием
mqm-type-terminology-wrong-inflection = Терминология: верный термин в неверной форме
mqm-type-accuracy-mistranslation = Точность: неверный перевод
mqm-type-accuracy-omission = Точность: пропуск
mqm-type-accuracy-addition = Точность: добавление
mqm-type-accuracy-untranslated = Точность: не переведено
mqm-type-linguistic-conventions-grammar = Языковые нормы: грамматика
mqm-type-linguistic-conventions-spelling = Языковые нормы: орфография
mqm-type-linguistic-conventions-punctuation = Языковые нормы: пунктуация
mqm-type-style-register = Стиль: регистр
mqm-type-style-awkward = Стиль: неуклюже
mqm-type-locale-conventions-numbers = Локальные нормы: числа
mqm-type-locale-conventions-dates = Локальные нормы: даты
mqm-type-locale-conventions-addresses = Локальные нормы: адреса
mqm-type-markup = Разметка
mqm-accept-finding = Принять как ошибку MQM
mqm-stale = к прежнему тексту сегмента
mqm-whole-segment = весь сегмент
mqm-remove = Удалить
mqm-annotate = Отметить ошибку MQM
mqm-type = Тип ошибки
mqm-severity = Серьёзность
mqm-marked = Отмеченный текст
mqm-marked-hint = выделите его в переводе или вставьте
mqm-note = Примечание
mqm-add = Добавить аннотацию
mqm-approve-needs-reason = Задание не проходит оценку MQM: для утверждения нужно обоснование.
approve-refused-title = Не утверждено
approve-mqm-refused = Задание не проходит оценку MQM: оценка { $score } (штрафных баллов: { $points }; критических ошибок: { $critical }), порог { $threshold }. Чтобы всё же опубликовать его, укажите обоснование.
approve-blocked = Утверждению мешают ошибки проверки. Исправьте их, отметьте «Не ошибка» или укажите, почему задание можно опубликовать.
approve-back-to-job = Вернуться к заданию
flash-annotated = Аннотация MQM добавлена.
flash-annotation-removed = Аннотация MQM удалена.
reports-title = Отчёты
reports-intro = Трудозатраты на постредактирование и оценки MQM утверждённых сегментов — те же цифры, что печатает команда audarma report.
reports-by = Группировать по
reports-by-backend = Движок
reports-by-pair = Языковая пара
reports-by-workflow = Процесс
reports-by-translator = Переводчик
reports-by-month = Месяц
reports-by-model = Движок и модель
reports-by-start = Исходный вариант
reports-since = С
reports-until = До (день не включён)
reports-show = Показать
reports-none = За этот период нет утверждённых сегментов.
reports-col-jobs = Задания
reports-col-segments = Сегменты
reports-col-words = Слова
reports-col-untouched = Без правки
reports-col-hter-help = правки слов от предложенного перевода на слово утверждённого текста
reports-col-annotations = Аннотации
reports-col-critical = Критические
reports-col-term-fixes = Исправления терминов на 100 сегментов
reports-col-inflection-fixes = Исправления формы термина на 100 сегментов
reports-col-seconds = Секунд на слово
reports-table-note = HTER — правки слов от предложенного перевода на слово утверждённого текста (чем меньше, тем лучше). Секунды на слово — только по сегментам, которые правили от 0,25 до 30 секунд на слово.
reports-hter-heading = Объём постредактирования по движкам
reports-hter-title = HTER по движкам, { $pair }
reports-axis-month = Месяц утверждения
reports-axis-hter = HTER (правок на слово)
reports-point-hter = { $backend }, { $month }: HTER { $value }, { $segments }
reports-segments = { $count ->
    [one] { $n } сегмент
    [few] { $n } сегмента
    [many] { $n } сегментов
   *[other] { $n } сегмента
}
reports-mqm-heading = Оценки MQM
reports-mqm-title = { $count ->
    [one] Оценка MQM { $n } задания с аннотациями
   *[other] Оценки MQM { $n } заданий с аннотациями
}
reports-mqm-none = Ни у одного утверждённого за этот период задания нет аннотаций MQM.
reports-axis-mqm = Оценка MQM (порог { $threshold })
reports-axis-jobs = Задания
reports-jobs = { $count ->
    [one] { $n } задание
    [few] { $n } задания
    [many] { $n } заданий
   *[other] { $n } задания
}
reports-point-mqm = оценка { $range }: { $jobs }
reports-terms-heading = Чаще всего исправляемые термины
reports-terms-title = Понятия глоссария, которые переводчикам пришлось исправлять
reports-terms-none = За этот период переводчики не исправляли терминов глоссария.
reports-axis-fixes = Сегменты, где термин исправлен
reports-axis-concept = Понятие
reports-point-term = { $term }: исправлен в { $segments }
reports-terms-wrong = Неверный или пропущенный термин
reports-terms-inflection = Верный термин в неверной форме
reports-point-inflection = { $term }: форма исправлена в { $segments }

account-feed = Лента моих заданий
account-feed-hint = Лента Atom с назначенными вам заданиями и их изменениями — для любой программы чтения лент. Ссылка открывается без входа в систему: никому её не передавайте. Новая ссылка заменяет прежнюю.
account-feed-create = Создать новую ссылку на ленту
account-feed-link = Ваша ссылка на ленту (показывается только сейчас: скопируйте её в программу чтения лент):
feed-title = audarma: задания пользователя { $name }
feed-subtitle = Задания, назначенные пользователю { $name }, и что с ними происходило, новые сверху.
feed-entry-state = { $state }: { $title } ({ $pair })
feed-entry-assigned = Назначено вам: { $title } ({ $pair })
feed-entry-assigned-other = Назначено пользователю { $name }: { $title } ({ $pair })
feed-entry-unassigned = Назначение снято: { $title } ({ $pair })
feed-entry-deadline = Срок { $date }: { $title } ({ $pair })
feed-summary = Задание { $job }, сейчас: { $state }; изменение внёс(ла) { $name }.
feed-deadline = Срок: { $date }.
feed-kind-state = смена состояния
feed-kind-assign = назначение
feed-kind-deadline = срок
