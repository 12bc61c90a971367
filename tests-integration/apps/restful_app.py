"""A to-do API on Flask-RESTful: resources, request parsing, marshalling and errors."""

from __future__ import annotations

import flask
from flask_restful import abort
from flask_restful import Api
from flask_restful import fields
from flask_restful import marshal_with
from flask_restful import reqparse
from flask_restful import Resource

TODO_FIELDS = {"id": fields.Integer, "task": fields.String, "done": fields.Boolean}

parser = reqparse.RequestParser()
parser.add_argument("task", type=str, required=True, help="task is required", location="json")
parser.add_argument("done", type=bool, default=False, location="json")


class Store:
    def __init__(self) -> None:
        self.todos: dict[int, dict[str, object]] = {}

    def get(self, todo_id: int) -> dict[str, object]:
        if todo_id not in self.todos:
            abort(404, message=f"todo {todo_id} does not exist")
        return self.todos[todo_id]


def create_app() -> flask.Flask:
    app = flask.Flask(__name__)
    api = Api(app)
    store = Store()

    class TodoList(Resource):
        @marshal_with(TODO_FIELDS)
        def get(self) -> object:
            return list(store.todos.values())

        @marshal_with(TODO_FIELDS)
        def post(self) -> object:
            args = parser.parse_args()
            todo_id = len(store.todos) + 1
            store.todos[todo_id] = {"id": todo_id, **args}
            return store.todos[todo_id], 201, {"Location": api.url_for(Todo, todo_id=todo_id)}

    class Todo(Resource):
        @marshal_with(TODO_FIELDS)
        def get(self, todo_id: int) -> object:
            return store.get(todo_id)

        def delete(self, todo_id: int) -> object:
            store.get(todo_id)
            del store.todos[todo_id]
            return "", 204

    api.add_resource(TodoList, "/todos")
    api.add_resource(Todo, "/todos/<int:todo_id>")
    return app
