/*
    The Karmayogi Hub as the "LMS" of the ADL cmi5 LMS test suite (CATAPULT lts/): the adapter
    the suite loads through $CATAPULT_LMS (its public interface is lib/lms.template.js there).

    `python -m benchmarks.cmi5_conformance` copies this file into the suite as
    lib/lms.hub.js, starts a hub on a throwaway store, provisions the credentials below and
    writes them into the suite's .env:

        HUB_URL                    the hub's base URL (no trailing slash)
        HUB_PUBLISHER_KEY/SECRET   a provider's publisher: creates courses, uploads packages
        HUB_REVIEWER_KEY/SECRET    the platform's reviewer: takes them through review to publish
        HUB_LMS_KEY/SECRET         an LMS with lrs-writer and lrs-reader: launches AUs, reads
                                   the statements (cmi5 4.2.0.0-2), waives, abandons
        HUB_REFUSALS_LOG           (optional) a file to which each refused package's name and
                                   the hub's reason are appended

    Packages: the hub takes a zip (PUT /courses/{id}/package); a bare cmi5.xml (the suite's
    text/xml packages, cmi5 section 14: a course structure of external AUs only) is wrapped
    here in a one-entry stored zip. The hub's 400 (a bad package) and 415 (not a zip) are the
    suite's InvalidPackageError; anything else is an error of the run.
*/
"use strict";

const fs = require("fs"),
    zlib = require("zlib"),
    Wreck = require("@hapi/wreck"),
    {InvalidPackageError} = require("./errors");

let hub,
    auIds = new Map(),             // course id -> the AU ids in cmi5.xml order
    courseOfRegistration = new Map();

const basic = (key, secret) => `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;

const credential = (who) => basic(process.env[`HUB_${who}_KEY`], process.env[`HUB_${who}_SECRET`]);

// One HTTP call; resolves {status, body, headers} for every status (Wreck.request never throws
// on 4xx/5xx), so that the callers decide what a refusal means.
const call = async (method, path, who, {json, payload, headers = {}} = {}) => {
    const options = {headers: {Authorization: credential(who), ...headers}};
    if (json !== undefined) {
        options.payload = JSON.stringify(json);
        options.headers["Content-Type"] = "application/json";
    }
    else if (payload !== undefined) {
        options.payload = payload;
    }
    const res = await Wreck.request(method, `${hub}${path}`, options),
        text = (await Wreck.read(res)).toString("utf8");
    let body = text;
    try {
        body = text ? JSON.parse(text) : null;
    }
    catch (ex) { /* not JSON: keep the text for the message */ }
    return {status: res.statusCode, body, headers: res.headers};
};

const expectStatus = (res, status, what) => {
    if (res.status !== status) {
        throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
};

const etag = async (courseId, who) => {
    const res = await call("GET", `/courses/${courseId}`, who);
    expectStatus(res, 200, `GET course ${courseId}`);
    return res.headers.etag;
};

// A zip (APPNOTE 4.3) of one stored entry, for the suite's bare cmi5.xml packages.
const storedZip = (name, data) => {
    const fileName = Buffer.from(name, "utf8"),
        crc = zlib.crc32(data),
        local = Buffer.alloc(30),
        central = Buffer.alloc(46),
        end = Buffer.alloc(22);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12);              // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    const centralOffset = local.length + fileName.length + data.length;
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + fileName.length, 12);
    end.writeUInt32LE(centralOffset, 16);
    return Buffer.concat([local, fileName, data, central, fileName, end]);
};

const readAll = async (stream) => {
    const chunks = [];
    for await (const chunk of stream) {
        chunks.push(chunk);
    }
    return Buffer.concat(chunks);
};

// A course the catalogue accepts; the package upload then makes its delivery cmi5.
const courseBody = (filename) => ({
    title: {en: `cmi5 LMS test suite: ${filename}`},
    description: {en: "A package of the ADL cmi5 LMS test suite."},
    keywords: ["cmi5"],
    category: "course",
    mode: "self-paced",
    level: "beginner",
    duration: "PT10M",
    delivery: {type: "external", url: "https://example.org/cmi5-lts"},
    licence: "CC-BY-4.0",
    price: {amount: "0", currency: "INR"},
    certificate_offered: false,
    competencies: [],
    version: "1.0"
});

const auId = (courseId, auIndex) => {
    const ids = auIds.get(courseId);
    if (!ids || auIndex >= ids.length) {
        throw new Error(`course ${courseId} has no AU at index ${auIndex}`);
    }
    return ids[auIndex];
};

module.exports = {
    setup: async () => {
        hub = process.env.HUB_URL.replace(/\/+$/, "");
        auIds = new Map();
        courseOfRegistration = new Map();
    },

    // Every run is on a throwaway store (the runner's temporary directory): nothing to undo.
    teardown: async () => {},

    getLrsEndpoint: () => `${hub}/xapi`,
    getLrsAuthHeader: () => credential("LMS"),

    importCourse: async (stream, contentType, filename) => {
        let data = await readAll(stream),
            type = contentType;
        if (contentType.startsWith("text/xml")) {
            data = storedZip("cmi5.xml", data);
            type = "application/zip";
        }
        const created = expectStatus(
            await call("POST", "/courses", "PUBLISHER", {json: courseBody(filename)}),
            201, `create the course for ${filename}`
        );
        const upload = await call("PUT", `/courses/${created.id}/package`, "PUBLISHER", {
            payload: data,
            headers: {"Content-Type": type, "If-Match": await etag(created.id, "PUBLISHER")}
        });
        if (upload.status === 400 || upload.status === 415) {
            const problem = upload.body || {},
                why = `HTTP ${upload.status}: ${problem.detail || problem.title || JSON.stringify(problem)}`;
            // The suite only asks whether a bad package was refused; the runner reports why
            // (a package refused for another reason than the one it tests hides a missing check).
            if (process.env.HUB_REFUSALS_LOG) {
                fs.appendFileSync(process.env.HUB_REFUSALS_LOG, `${filename}\t${why}\n`);
            }
            throw new InvalidPackageError(`Invalid package (${why})`);
        }
        const course = expectStatus(upload, 200, `upload ${filename}`),
            structure = course.revision.package.structure;
        auIds.set(created.id, (structure.aus || []).map((au) => au.id));
        for (const [action, who] of [["submit", "PUBLISHER"], ["start_review", "REVIEWER"],
            ["publish", "REVIEWER"]]) {
            expectStatus(
                await call("POST", `/courses/${created.id}/transitions`, who, {
                    json: {action},
                    headers: {"If-Match": await etag(created.id, who)}
                }),
                200, `${action} ${filename}`
            );
        }
        return created.id;
    },

    // The hub names learners by its own account (homePage = the hub); the suite's actor's
    // account name becomes the hub learner id. The registration is the learner's for the
    // course (cmi5 9.6.1, reused by every launch), so a registration the suite passes back
    // must be the one the hub gives.
    getLaunchUrl: async (courseId, auIndex, actor, {registration, launchMode} = {}) => {
        const learner = actor.account ? actor.account.name : (actor.mbox || "").replace(/^mailto:/, "");
        const body = {course_id: courseId, learner_id: learner, au_id: auId(courseId, auIndex),
            return_url: `${hub}/health`};
        if (launchMode) {
            body.launch_mode = launchMode;
        }
        const launched = expectStatus(
            await call("POST", "/player/launches", "LMS", {json: body}), 201,
            `launch AU ${auIndex} of ${courseId}`
        );
        if (registration && launched.registration !== registration.toLowerCase()) {
            throw new Error(`the hub launched registration ${launched.registration}, not ${registration}`);
        }
        courseOfRegistration.set(launched.registration, courseId);
        return launched.url;
    },

    cleanup: async () => {},

    hasWaive: () => true,
    waiveAU: async (registration, auIndex, reason) => {
        const courseId = courseOfRegistration.get(registration.toLowerCase());
        const res = await call("POST", `/player/registrations/${registration}/waive`, "LMS", {
            json: {au_id: auId(courseId, auIndex), reason}
        });
        if (res.status < 200 || res.status > 299) {
            throw new Error(`waive AU ${auIndex} in ${registration}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        }
    },

    hasAbandon: () => true,
    abandonSession: async (sessionId) => {
        const res = await call("POST", `/player/sessions/${sessionId}/abandon`, "LMS", {json: {}});
        if (res.status < 200 || res.status > 299) {
            throw new Error(`abandon ${sessionId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        }
    }
};
