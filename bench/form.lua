-- wrk script for bench/form.sh: every POST needs a fresh form first,
-- because a token is single-use and bound to the cookie it came with.
-- Each connection therefore alternates: GET the form (new cookie, new
-- token), then POST a suggestion with them. Responses are told apart by
-- their content: a form page carries a token; a receipt (200) does not.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   slug = args[1]
   path = "/k/" .. slug
   pending = {}          -- {cookie, token} fetched and not yet posted
   gets, accepted, refused, n = 0, 0, 0, 0
   tid = math.random(1, 1000000)
end

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
   local p = table.remove(pending)
   if p == nil then
      return wrk.format("GET", path)
   end
   n = n + 1
   local body = "token=" .. urlencode(p.token) .. "&lang=lt" ..
      "&text=" .. urlencode("Siūlau įrengti dienos centrą senjorams Aleksote, kur būtų šilti pietūs ir užsiėmimai. Nr. " .. tid .. "-" .. n) ..
      "&name=" .. urlencode("Gyventoja Bandomoji") ..
      "&email=" .. urlencode("gyventoja." .. tid .. "." .. n .. "@example.lt") ..
      "&consent=yes&website="
   return wrk.format("POST", path, {
      ["Cookie"] = p.cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
   }, body)
end

function response(status, headers, body)
   local token = body:match('name="token" value="([^"]+)"')
   if status == 200 and token ~= nil then
      local sc = headers["Set-Cookie"] or headers["set-cookie"] or ""
      local cookie = sc:match("(vvgintake_form=[^;]+)")
      gets = gets + 1
      if cookie ~= nil then
         table.insert(pending, {cookie = cookie, token = token})
      end
   elseif status == 200 then
      accepted = accepted + 1
   else
      refused = refused + 1
   end
end

function done(summary, latency, requests)
   local g, a, r = 0, 0, 0
   for _, t in ipairs(threads) do
      g = g + t:get("gets")
      a = a + t:get("accepted")
      r = r + t:get("refused")
   end
   local secs = summary.duration / 1e6
   io.write(string.format("form pages served %d, suggestions accepted %d, refused %d in %.1f s\n", g, a, r, secs))
   io.write(string.format("accepted suggestions/s %.1f (each also cost one GET of the form)\n", a / secs))
end
