// dynalite (from the repository's node_modules) plus a request counter, for the store benchmark.
//   node bench/stores/counting-dynalite.cjs <dynalite-port> <stats-port> <table-name>
// Creates <table-name> (partition key "id", String) and counts every DynamoDB request by operation (the X-Amz-Target
// header). GET http://127.0.0.1:<stats-port>/ returns the counts as JSON; POST resets them.
'use strict'
const http = require('http')
const dynalite = require('dynalite')

const [dynamoPort, statsPort, tableName] = process.argv.slice(2)
if (!dynamoPort || !statsPort || !tableName) {
  console.error('usage: counting-dynalite.cjs <dynalite-port> <stats-port> <table-name>')
  process.exit(2)
}

let counts = {}
const server = dynalite({ createTableMs: 0 })
server.on('request', (request) => {
  const operation = String(request.headers['x-amz-target'] || 'unknown').split('.').pop()
  counts[operation] = (counts[operation] || 0) + 1
})

// dynalite checks that requests carry SigV4 headers but does not verify the signature.
function createTable (callback) {
  const body = JSON.stringify({
    TableName: tableName,
    AttributeDefinitions: [ { AttributeName: 'id', AttributeType: 'S' } ],
    KeySchema: [ { AttributeName: 'id', KeyType: 'HASH' } ],
    BillingMode: 'PAY_PER_REQUEST',
  })
  const request = http.request({
    host: '127.0.0.1',
    port: dynamoPort,
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.CreateTable',
      'X-Amz-Date': '20260101T000000Z',
      'Authorization': 'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
  }, (response) => {
    let text = ''
    response.on('data', (chunk) => { text += chunk })
    response.on('end', () => callback(response.statusCode === 200 ? null : new Error(text)))
  })
  request.on('error', callback)
  request.end(body)
}

server.listen(Number(dynamoPort), '127.0.0.1', () => {
  createTable((error) => {
    if (error) {
      console.error('CreateTable failed: ' + error.message)
      process.exit(1)
    }
    counts = {}
    http.createServer((request, response) => {
      if (request.method === 'POST') counts = {}
      response.setHeader('Content-Type', 'application/json')
      response.end(JSON.stringify(counts))
    }).listen(Number(statsPort), '127.0.0.1', () => console.log('ready'))
  })
})
